package com.starrocks.connector.flink.examples.datastream;

import com.starrocks.connector.flink.table.data.DefaultStarRocksRowData;
import com.starrocks.connector.flink.table.data.StarRocksRowData;
import com.starrocks.connector.flink.table.sink.SinkFunctionFactory;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;
import com.starrocks.connector.flink.table.sink.v2.RecordSerializationSchema;
import com.starrocks.connector.flink.table.sink.v2.StarRocksSink;
import com.starrocks.connector.flink.table.sink.v2.StarRocksSinkContext;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.java.utils.MultipleParameterTool;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Writes Java objects into two StarRocks tables through the FLIP-191 Sink (Sink V2): a
 * {@link RecordSerializationSchema} turns each object into a JSON row and names its table (the
 * way Flink CDC's StarRocks pipeline connector uses this sink). Objects without a table are
 * skipped.
 *
 * <p>The tables, both like {@code score_board} of {@link LoadCsvRecords}; arguments as in
 * {@link WriteMultipleTables}.
 */
public final class LoadRecordsWithSinkV2 {
    private LoadRecordsWithSinkV2() {}

    public static void main(String[] args) throws Exception {
        MultipleParameterTool params = MultipleParameterTool.fromArgs(args);
        String table1 = params.get("table1", "tbl1");
        String table2 = params.get("table2", "tbl2");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();

        DataStream<Score> source =
                env.fromElements(
                        new Score(table1, 1, "starrocks-sinkv2", 100),
                        new Score(table2, 1, "flink-sinkv2", 90),
                        new Score(null, 9, "no table: skipped", 0),
                        new Score(table2, 2, "name with \"quotes\"", 80));

        StarRocksSinkOptions options =
                StarRocksSinkOptions.builder()
                        .withProperty("jdbc-url", params.get("jdbc-url", "jdbc:mysql://127.0.0.1:9030"))
                        .withProperty("load-url", params.get("load-url", "127.0.0.1:8030"))
                        .withProperty("database-name", "*")
                        .withProperty("table-name", "*")
                        .withProperty("username", params.get("username", "root"))
                        .withProperty("password", params.get("password", ""))
                        .withProperty("sink.properties.format", "json")
                        .build();

        StarRocksSink<Score> sink =
                SinkFunctionFactory.createSink(options, new ScoreSerializationSchema(params.get("database", "test")));
        source.sinkTo(sink);

        env.execute("LoadRecordsWithSinkV2");
    }

    /** A record of the stream: a row of the table it names. */
    public static class Score {
        public String table;
        public int id;
        public String name;
        public int score;

        public Score() {}

        public Score(String table, int id, String name, int score) {
            this.table = table;
            this.id = id;
            this.name = name;
            this.score = score;
        }
    }

    /** Serializes a {@link Score} as a JSON row of its table in {@code database}. */
    private static class ScoreSerializationSchema implements RecordSerializationSchema<Score> {
        private static final long serialVersionUID = 1L;

        private final String database;
        private transient DefaultStarRocksRowData reusable;

        ScoreSerializationSchema(String database) {
            this.database = database;
        }

        @Override
        public void open(SerializationSchema.InitializationContext context, StarRocksSinkContext sinkContext) {
            reusable = new DefaultStarRocksRowData();
            reusable.setDatabase(database);
        }

        @Override
        public StarRocksRowData serialize(Score record) {
            if (record.table == null) {
                return null;
            }
            reusable.setTable(record.table);
            reusable.setRow(
                    "{\"id\":" + record.id + ",\"name\":" + quote(record.name) + ",\"score\":" + record.score + "}");
            return reusable;
        }

        @Override
        public void close() {}

        private static String quote(String s) {
            if (s == null) {
                return "null";
            }
            StringBuilder sb = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c < 0x20) {
                    sb.append(String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
            return sb.append('"').toString();
        }
    }
}
