package com.starrocks.connector.flink.examples.datastream;

import com.starrocks.connector.flink.table.data.DefaultStarRocksRowData;
import com.starrocks.connector.flink.table.sink.SinkFunctionFactory;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;
import com.starrocks.data.load.stream.properties.StreamLoadTableProperties;

import org.apache.flink.api.java.utils.MultipleParameterTool;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;

/**
 * Writes two StarRocks tables with one sink: each record names its table. The second table has
 * its own Stream Load properties: a partial update of the columns {@code order_id} and
 * {@code order_state}.
 *
 * <p>The tables:
 * <pre>
 * CREATE TABLE test.tbl1 (id INT NOT NULL, name VARCHAR(65533), score INT)
 *   PRIMARY KEY (id) DISTRIBUTED BY HASH (id);
 * CREATE TABLE test.tbl2 (order_id BIGINT NOT NULL, order_state INT, total_price BIGINT)
 *   PRIMARY KEY (order_id) DISTRIBUTED BY HASH (order_id);
 * </pre>
 * Arguments (defaults in brackets): {@code --load-url} [127.0.0.1:8030], {@code --jdbc-url}
 * [jdbc:mysql://127.0.0.1:9030], {@code --database} [test], {@code --table1} [tbl1],
 * {@code --table2} [tbl2], {@code --username} [root], {@code --password} [].
 */
public final class WriteMultipleTables {
    private WriteMultipleTables() {}

    public static void main(String[] args) throws Exception {
        MultipleParameterTool params = MultipleParameterTool.fromArgs(args);
        String database = params.get("database", "test");
        String table1 = params.get("table1", "tbl1");
        String table2 = params.get("table2", "tbl2");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();

        // Each record carries its database and table, and one JSON row with all or some columns.
        DataStream<DefaultStarRocksRowData> source =
                env.fromElements(
                        row(database, table1, "{\"id\": 1, \"name\": \"starrocks-json\", \"score\": 100}"),
                        row(database, table1, "{\"id\": 2, \"name\": \"flink-json\"}"),
                        row(database, table2, "{\"order_id\": 1, \"order_state\": 1, \"total_price\": 100}"),
                        row(database, table2, "{\"order_id\": 2, \"order_state\": 2}"));

        // '*' as database and table: the records name them.
        StarRocksSinkOptions options =
                StarRocksSinkOptions.builder()
                        .withProperty("jdbc-url", params.get("jdbc-url", "jdbc:mysql://127.0.0.1:9030"))
                        .withProperty("load-url", params.get("load-url", "127.0.0.1:8030"))
                        .withProperty("database-name", "*")
                        .withProperty("table-name", "*")
                        .withProperty("username", params.get("username", "root"))
                        .withProperty("password", params.get("password", ""))
                        .withProperty("sink.properties.format", "json")
                        .withProperty("sink.properties.strip_outer_array", "true")
                        .withProperty("sink.properties.ignore_json_size", "true")
                        .build();

        // The second table replaces some of the sink's Stream Load properties with its own.
        options.addTableProperties(
                StreamLoadTableProperties.builder()
                        .database(database)
                        .table(table2)
                        .addProperty("format", "json")
                        .addProperty("partial_update", "true")
                        .addProperty("columns", "`order_id`,`order_state`")
                        .build());

        SinkFunction<DefaultStarRocksRowData> sink = SinkFunctionFactory.createSinkFunction(options);
        source.addSink(sink);

        env.execute("WriteMultipleTables");
    }

    private static DefaultStarRocksRowData row(String database, String table, String json) {
        return new DefaultStarRocksRowData(null, database, table, json);
    }
}
