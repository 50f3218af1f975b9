package com.starrocks.connector.flink.table.sink;

import com.starrocks.connector.flink.sink.RowDataEncoder;
import com.starrocks.connector.flink.table.sink.v2.StarRocksSink;

import org.apache.flink.table.connector.sink.DynamicTableSink.SinkRuntimeProvider;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.data.RowData;

/**
 * The SQL sink's runtime on Flink 1.x: the SinkFunction (the public connector's default) or, with
 * {@code 'sink.use.new-sink-api' = 'true'}, the Sink V2.
 */
final class SinkProviders {
    private SinkProviders() {}

    @SuppressWarnings("deprecation") // SinkFunctionProvider is deprecated from Flink 1.20
    static SinkRuntimeProvider create(
            String flinkTable, StarRocksSinkOptions options, RowDataEncoder encoder, Integer parallelism) {
        if (options.useNewSinkApi()) {
            return SinkV2Provider.of(new StarRocksSink<RowData>(options.asMap(), encoder), parallelism);
        }
        return org.apache.flink.table.connector.sink.SinkFunctionProvider.of(new StarRocksDynamicSinkFunction<RowData>(options.asMap(), encoder), parallelism);
    }
}
