package com.starrocks.connector.flink.table.sink.v2;

import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;

import org.apache.flink.api.connector.sink2.Sink;

/** What a {@link RecordSerializationSchema} learns about the writer it serializes for. */
@SuppressWarnings("deprecation") // Sink.InitContext is deprecated from Flink 1.19
public interface StarRocksSinkContext {

    /** The writer's Flink init context (subtask, parallelism, metrics). */
    Sink.InitContext getInitContext();

    /** The options of the sink. */
    StarRocksSinkOptions getSinkOptions();
}
