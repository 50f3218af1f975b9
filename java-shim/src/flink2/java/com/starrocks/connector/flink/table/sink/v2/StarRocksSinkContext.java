package com.starrocks.connector.flink.table.sink.v2;

import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;

import org.apache.flink.api.connector.sink2.WriterInitContext;

/** What a {@link RecordSerializationSchema} learns about the writer it serializes for. */
public interface StarRocksSinkContext {

    /** The writer's Flink init context (task info, parallelism, metrics). */
    WriterInitContext getInitContext();

    /** The options of the sink. */
    StarRocksSinkOptions getSinkOptions();
}
