package com.starrocks.connector.flink.table.sink;

import com.starrocks.connector.flink.sink.FlinkVersionGuard;
import com.starrocks.connector.flink.sink.SerializationSchemaEncoder;
import com.starrocks.connector.flink.table.sink.v2.RecordSerializationSchema;
import com.starrocks.connector.flink.table.sink.v2.StarRocksSink;

/**
 * Creates DataStream sinks of records that a serialization schema turns into rows, for one table
 * or many. On Flink 2.x there is no SinkFunction: {@code createSinkFunction} of the 1.x jars has
 * no counterpart here; use {@link com.starrocks.connector.flink.StarRocksSink#sink} for records
 * that are serialized already.
 */
public final class SinkFunctionFactory {
    private SinkFunctionFactory() {}

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
