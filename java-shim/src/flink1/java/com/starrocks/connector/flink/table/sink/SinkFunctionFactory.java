package com.starrocks.connector.flink.table.sink;

import com.starrocks.connector.flink.sink.FlinkVersionGuard;
import com.starrocks.connector.flink.sink.SerializationSchemaEncoder;
import com.starrocks.connector.flink.sink.RawRecordEncoder;
import com.starrocks.connector.flink.table.sink.v2.RecordSerializationSchema;
import com.starrocks.connector.flink.table.sink.v2.StarRocksSink;

/**
 * Creates DataStream sinks of records that are serialized already, for one table or many.
 *
 * <p>Unlike the public connector, which probes StarRocks here to pick an implementation, every
 * sink runs on the native engine, which chooses how to load ({@code sink.version},
 * {@code sink.semantic}, the transaction interface) when a writer starts.
 */
public final class SinkFunctionFactory {
    private SinkFunctionFactory() {}

    /**
     * A SinkFunction that accepts {@link com.starrocks.connector.flink.table.data.StarRocksRowData}
     * and {@link StarRocksSinkRowDataWithMeta} (each loaded into the table it names, so one sink
     * can write many tables, with {@code database-name}/{@code table-name} set to {@code *}) and
     * {@code String} (a row of {@code database-name}.{@code table-name}). Tables take the
     * properties added with {@link StarRocksSinkOptions#addTableProperties}.
     */
    public static <T> StarRocksDynamicSinkFunction<T> createSinkFunction(StarRocksSinkOptions sinkOptions) {
        FlinkVersionGuard.check();
        return new StarRocksDynamicSinkFunction<>(sinkOptions.asMap(), RawRecordEncoder.<T>forSink(sinkOptions));
    }

    /**
     * A Sink V2 (FLIP-191) sink of records that {@code serializationSchema} turns into rows of the
     * tables it names.
     */
    public static <T> StarRocksSink<T> createSink(
            StarRocksSinkOptions sinkOptions, RecordSerializationSchema<T> serializationSchema) {
        FlinkVersionGuard.check();
        return new StarRocksSink<>(sinkOptions.asMap(), SerializationSchemaEncoder.forSink(sinkOptions, serializationSchema));
    }
}
