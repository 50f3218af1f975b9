package com.starrocks.connector.flink.examples.datastream;

import com.starrocks.connector.flink.StarRocksSink;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.MultipleParameterTool;

/**
 * Flink 2.x: loads CSV strings into a StarRocks table through the Sink V2 that
 * {@code StarRocksSink.sink} returns on Flink 2.x ({@code stream.sinkTo(...)}; Flink 2.x has no
 * SinkFunction). Each record is one row, its fields separated by {@code \t} ({@code \N} is NULL).
 *
 * <p>The table (any key model):
 * <pre>
 * CREATE TABLE test.score_board (id INT NOT NULL, name VARCHAR(65533), score INT NOT NULL)
 *   PRIMARY KEY (id) DISTRIBUTED BY HASH (id);
 * </pre>
 * Arguments (defaults in brackets): {@code --load-url} [127.0.0.1:8030], {@code --jdbc-url}
 * [jdbc:mysql://127.0.0.1:9030], {@code --database} [test], {@code --table} [score_board],
 * {@code --username} [root], {@code --password} [].
 */
public final class LoadCsvRecords {
    private LoadCsvRecords() {}

    public static void main(String[] args) throws Exception {
        MultipleParameterTool params = MultipleParameterTool.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();

        DataStream<String> source =
                env.fromData("1\tstarrocks-csv\t100", "2\tflink-csv\t100", "3\t\\N\t0");

        // The format is CSV (the default); the column separator must match the records.
        StarRocksSinkOptions options =
                StarRocksSinkOptions.builder()
                        .withProperty("jdbc-url", params.get("jdbc-url", "jdbc:mysql://127.0.0.1:9030"))
                        .withProperty("load-url", params.get("load-url", "127.0.0.1:8030"))
                        .withProperty("database-name", params.get("database", "test"))
                        .withProperty("table-name", params.get("table", "score_board"))
                        .withProperty("username", params.get("username", "root"))
                        .withProperty("password", params.get("password", ""))
                        .withProperty("sink.properties.format", "csv")
                        .withProperty("sink.properties.column_separator", "\\x09")
                        .build();
        Sink<String> sink = StarRocksSink.sink(options);
        source.sinkTo(sink);

        env.execute("LoadCsvRecords");
    }
}
