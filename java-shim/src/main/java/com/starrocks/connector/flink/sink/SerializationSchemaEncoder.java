package com.starrocks.connector.flink.sink;

import com.starrocks.connector.flink.table.data.StarRocksRowData;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;
import com.starrocks.connector.flink.table.sink.v2.DefaultStarRocksSinkContext;
import com.starrocks.connector.flink.table.sink.v2.RecordSerializationSchema;

import org.apache.flink.api.connector.sink2.Sink;

/**
 * Encodes records through a user's {@link RecordSerializationSchema}: each record becomes the
 * serialized row of the table the schema names, or is skipped when the schema returns null.
 *
 * <p>The schema is opened with the writer's Flink context, which the sink hands over with
 * {@link #bind} before the writer opens this encoder, and closed when the writer closes.
 */
public final class SerializationSchemaEncoder<T> implements RecordEncoder<T> {
    private static final long serialVersionUID = 1L;

    private final RecordSerializationSchema<T> schema;
    private final StarRocksSinkOptions options;
    private final TableHeaders headers;

    private transient Sink.InitContext context;
    private transient RawTables tables;

    public SerializationSchemaEncoder(
            RecordSerializationSchema<T> schema, StarRocksSinkOptions options, TableHeaders headers) {
        this.schema = schema;
        this.options = options;
        this.headers = headers;
    }

    /** The Flink context of the writer about to open this encoder. */
    public void bind(Sink.InitContext context) {
        this.context = context;
    }

    @Override
    public void open(EngineWriter writer) {
        if (context == null) {
            throw new IllegalStateException(
                    "a RecordSerializationSchema needs the Sink V2 writer's context; create the sink with"
                            + " SinkFunctionFactory.createSink");
        }
        schema.open(
                context.asSerializationSchemaInitializationContext(),
                new DefaultStarRocksSinkContext(context, options));
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
