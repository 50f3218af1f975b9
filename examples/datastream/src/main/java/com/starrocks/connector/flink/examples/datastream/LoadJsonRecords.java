package com.starrocks.connector.flink.examples.datastream;

import com.starrocks.connector.flink.StarRocksSink;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;

import org.apache.flink.api.java.utils.MultipleParameterTool;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;

/**
 * Loads JSON strings into a StarRocks table: each record is one JSON object whose keys are
 * column names (missing keys load as NULL or the column default).
 *
 * <p>The table and the arguments are those of {@link LoadCsvRecords}.
 */
public final class LoadJsonRecords {
    private LoadJsonRecords() {}

    public static void main(String[] args) throws Exception {
        MultipleParameterTool params = MultipleParameterTool.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();

        String[] records = {
            "{\"id\": 1, \"name\": \"starrocks-json\", \"score\": 100}",
            "{\"id\": 2, \"name\": \"flink-json\", \"score\": 100}",
            "{\"id\": 3, \"score\": 0}",
        };
        DataStream<String> source = env.fromElements(records);

        // The connector sends the records of a load as one JSON array (strip_outer_array).
        StarRocksSinkOptions options =
                StarRocksSinkOptions.builder()
                        .withProperty("jdbc-url", params.get("jdbc-url", "jdbc:mysql://127.0.0.1:9030"))
                        .withProperty("load-url", params.get("load-url", "127.0.0.1:8030"))
                        .withProperty("database-name", params.get("database", "test"))
                        .withProperty("table-name", params.get("table", "score_board"))
                        .withProperty("username", params.get("username", "root"))
                        .withProperty("password", params.get("password", ""))
                        .withProperty("sink.properties.format", "json")
                        .withProperty("sink.properties.strip_outer_array", "true")
                        .build();
        SinkFunction<String> sink = StarRocksSink.sink(options);
        source.addSink(sink);

        env.execute("LoadJsonRecords");
    }
}
