package com.starrocks.connector.flink.examples.datastream;

import com.starrocks.connector.flink.StarRocksSink;
import com.starrocks.connector.flink.row.sink.StarRocksSinkOP;
import com.starrocks.connector.flink.row.sink.StarRocksSinkRowBuilder;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.util.MultipleParameterTool;

import java.util.Arrays;
import java.util.Collections;

/**
 * Flink 2.x: loads user-defined Java objects into a StarRocks PRIMARY KEY table: a
 * {@link StarRocksSinkRowBuilder} turns each object into the values of one row, typed by a Flink
 * {@link ResolvedSchema} (Flink 2.x has no TableSchema). The schema declares the primary key, so
 * each row also says whether it upserts or deletes.
 *
 * <p>The table and the arguments are those of {@link LoadCsvRecords}.
 */
public final class LoadCustomJavaRecords {
    private LoadCustomJavaRecords() {}

    public static void main(String[] args) throws Exception {
        MultipleParameterTool params = MultipleParameterTool.fromArgs(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();

        DataStream<RowData> source =
                env.fromData(
                        new RowData(1, "starrocks-rowdata", 100),
                        new RowData(2, "flink-rowdata", 100),
                        new RowData(3, null, 0));

        StarRocksSinkOptions options =
                StarRocksSinkOptions.builder()
                        .withProperty("jdbc-url", params.get("jdbc-url", "jdbc:mysql://127.0.0.1:9030"))
                        .withProperty("load-url", params.get("load-url", "127.0.0.1:8030"))
                        .withProperty("database-name", params.get("database", "test"))
                        .withProperty("table-name", params.get("table", "score_board"))
                        .withProperty("username", params.get("username", "root"))
                        .withProperty("password", params.get("password", ""))
                        .build();
        source.sinkTo(sink(options));

        env.execute("LoadCustomJavaRecords");
    }

    /** The schema of the rows (the columns of the StarRocks table, with its primary key). */
    private static Sink<RowData> sink(StarRocksSinkOptions options) {
        ResolvedSchema schema =
                new ResolvedSchema(
                        Arrays.asList(
                                Column.physical("id", DataTypes.INT().notNull()),
                                Column.physical("name", DataTypes.STRING()),
                                Column.physical("score", DataTypes.INT())),
                        Collections.emptyList(),
                        UniqueConstraint.primaryKey("pk", Collections.singletonList("id")));
        return StarRocksSink.sink(schema, options, new RowDataTransformer());
    }

    /** A record of the stream: one row of {@code score_board}. */
    public static class RowData {
        public int id;
        public String name;
        public int score;

        public RowData() {}

        public RowData(int id, String name, int score) {
            this.id = id;
            this.name = name;
            this.score = score;
        }
    }

    /** Sets the values of a row in schema order; the last slot is the operation. */
    private static class RowDataTransformer implements StarRocksSinkRowBuilder<RowData> {
        private static final long serialVersionUID = 1L;

        @Override
        public void accept(Object[] row, RowData record) {
            row[0] = record.id;
            row[1] = record.name;
            row[2] = record.score;
            row[row.length - 1] = StarRocksSinkOP.UPSERT.ordinal();
        }
    }
}
