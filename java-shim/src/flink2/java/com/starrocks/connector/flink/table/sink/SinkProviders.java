package com.starrocks.connector.flink.table.sink;

import com.starrocks.connector.flink.sink.RowDataEncoder;
import com.starrocks.connector.flink.table.sink.v2.StarRocksSink;

import org.apache.flink.table.connector.sink.DynamicTableSink.SinkRuntimeProvider;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.data.RowData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL sink's runtime on Flink 2.x: always the Sink V2, since Flink 2.x has no SinkFunction.
 * Every option means what it means on 1.x; {@code sink.use.new-sink-api} has no choice left to make.
 */
final class SinkProviders {
    private static final Logger LOG = LoggerFactory.getLogger(SinkProviders.class);

    private SinkProviders() {}

    static SinkRuntimeProvider create(
            String flinkTable, StarRocksSinkOptions options, RowDataEncoder encoder, Integer parallelism) {
        if (options.asMap().containsKey(StarRocksSinkOptions.SINK_USE_NEW_SINK_API.key()) && !options.useNewSinkApi()) {
            LOG.warn(
                    "StarRocks sink table {}: '{}' = 'false' asks for the SinkFunction API, which Flink 2.x"
                            + " does not have; the table uses the Sink V2 API (same options and delivery"
                            + " guarantees)",
                    flinkTable,
                    StarRocksSinkOptions.SINK_USE_NEW_SINK_API.key());
        } else {
            LOG.info("StarRocks sink table {}: Sink V2 API (Flink 2.x has no SinkFunction)", flinkTable);
        }
        return SinkV2Provider.of(new StarRocksSink<RowData>(options.asMap(), encoder), parallelism);
    }
}
