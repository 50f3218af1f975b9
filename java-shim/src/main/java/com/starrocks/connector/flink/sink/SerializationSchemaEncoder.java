package com.starrocks.connector.flink.sink;

import com.starrocks.connector.flink.table.data.StarRocksRowData;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;
import com.starrocks.connector.flink.table.sink.v2.RecordSerializationSchema;
import com.starrocks.connector.flink.table.sink.v2.StarRocksSinkContext;

import org.apache.flink.api.common.serialization.SerializationSchema;

/**
 * Encodes records through a user's {@link RecordSerializationSchema}: each record becomes the
 * serialized row of the table the schema names, or is skipped when the schema returns null.
 *
 * <p>The schema is opened with the writer's Flink contexts, which the sink hands over with
 * {@link #bind} before the writer opens this encoder, and closed when the writer closes.
 */
public final class SerializationSchemaEncoder<T> implements RecordEncoder<T> {
    private static final long serialVersionUID = 1L;

    private final RecordSerializationSchema<T> schema;
    private final StarRocksSinkOptions options;
    private final TableHeaders headers;

    private transient SerializationSchema.InitializationContext context;
    private transient StarRocksSinkContext sinkContext;
    private transient RawTables tables;

    private SerializationSchemaEncoder(
            RecordSerializationSchema<T> schema, StarRocksSinkOptions options, TableHeaders headers) {
        this.schema = schema;
        this.options = options;
        this.headers = headers;
    }

    /** The encoder of a sink's records, with the per-table properties of its options. */
    public static <T> SerializationSchemaEncoder<T> forSink(
            StarRocksSinkOptions options, RecordSerializationSchema<T> schema) {
        return new SerializationSchemaEncoder<>(schema, options, TableHeaders.index(options.getTablePropertiesList()));
    }

    /** The Flink contexts of the writer about to open this encoder. */
    public void bind(SerializationSchema.InitializationContext context, StarRocksSinkContext sinkContext) {
        this.context = context;
        this.sinkContext = sinkContext;
    }

    /** The options of the sink, for its {@link StarRocksSinkContext}. */
    public StarRocksSinkOptions options() {
        return options;
    }

    @Override
    public void open(EngineWriter writer) {
        if (context == null) {
            throw new IllegalStateException(
                    "a RecordSerializationSchema needs the Sink V2 writer's context; create the sink with"
                            + " SinkFunctionFactory.createSink");
        }
        schema.open(context, sinkContext);
        tables = new RawTables(headers);
    }

    @Override
    public void encode(T record, EngineWriter writer) {
        StarRocksRowData row = schema.serialize(record);
        if (row != null) {
            tables.write(writer, row.getDatabase(), row.getTable(), row.getRow());
        }
    }

    /** Closes the schema if {@link #open} opened it. */
    @Override
    public void close() {
        if (tables != null) {
            tables = null;
            schema.close();
        }
    }
}
