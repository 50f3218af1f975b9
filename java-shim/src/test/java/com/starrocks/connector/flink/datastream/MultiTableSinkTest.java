package com.starrocks.connector.flink.datastream;

import com.starrocks.connector.flink.StarRocksSink;
import com.starrocks.connector.flink.table.data.DefaultStarRocksRowData;
import com.starrocks.connector.flink.table.data.StarRocksRowData;
import com.starrocks.connector.flink.table.sink.SinkFunctionFactory;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;
import com.starrocks.connector.flink.table.sink.StarRocksSinkRowDataWithMeta;
import com.starrocks.connector.flink.table.sink.v2.RecordSerializationSchema;
import com.starrocks.connector.flink.table.sink.v2.StarRocksSinkContext;
import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.data.load.stream.properties.StreamLoadTableProperties;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * One sink writes three tables, each with its own Stream Load properties (CSV as the sink says,
 * JSON, and CSV with a {@code columns} mapping), through both SinkFunctionFactory paths; records
 * without table or row are dropped; a String record without a table fails loudly.
 */
public class MultiTableSinkTest {
    private static final int IDS = 3_000;
    private static EmulatorProcess emulator;

    /** What the serialization schemas saw in open(): "subtask/parallelism/table-name". */
    private static final Set<String> OPENED = ConcurrentHashMap.newKeySet();
    private static final Set<String> CLOSED = ConcurrentHashMap.newKeySet();

    @BeforeClass
    public static void startEmulator() throws Exception {
        emulator = EmulatorProcess.start();
    }

    @AfterClass
    public static void stopEmulator() throws Exception {
        emulator.close();
    }

    @Test
    public void theSinkFunctionRoutesRowsToTablesWithTheirOwnProperties() throws Exception {
        String db = "multi_fn";
        createTables(db);
        StreamExecutionEnvironment env = DataStreamJobs.environment(2, 0);
        rows(env, db, true).addSink(SinkFunctionFactory.<Object>createSinkFunction(options(db)));
        env.execute("multi-table SinkFunction");
        assertTables(db, true);
    }

    @Test
    public void theSinkV2RoutesWhatTheSchemaSerializesAndOpensItWithTheWriterContext() throws Exception {
        String db = "multi_v2";
        createTables(db);
        StreamExecutionEnvironment env = DataStreamJobs.environment(2, 0);
        rows(env, db, false).sinkTo(SinkFunctionFactory.createSink(options(db), new PassThroughSchema()));
        env.execute("multi-table Sink V2");
        assertTables(db, false);
        assertEquals(new HashSet<>(Arrays.asList("0/2/*", "1/2/*")), OPENED);
        assertEquals(OPENED, CLOSED);
    }

    @Test
    public void exactlyOnceCommitsEveryTableAtTheCheckpoints() throws Exception {
        String db = "multi_eo";
        createTables(db);
        StreamExecutionEnvironment env = DataStreamJobs.environment(2, 300);
        StarRocksSinkOptions options =
                optionsFor(db, "*", "*", "sink.semantic", "exactly-once", "sink.label-prefix", "multi_eo");
        rows(env, db, true).addSink(SinkFunctionFactory.<Object>createSinkFunction(options));
        env.execute("multi-table exactly-once");
        assertTables(db, true);
        int committed = 0;
        for (JsonNode label : emulator.labels(db)) {
            String name = label.get("label").asText();
            assertTrue(name, name.startsWith("multi_eo-t_"));
            assertEquals(name, "VISIBLE", label.get("state").asText());
            committed++;
        }
        assertTrue("no transactions", committed >= 3);
    }

    @Test
    public void aStringRecordWithoutATableFailsTheJobNamingTheWildcard() throws Exception {
        StreamExecutionEnvironment env = DataStreamJobs.environment(1, 0);
        env.fromElements("1\ta").addSink(StarRocksSink.sink(options("whatever")));
        try {
            env.execute("String into *.*");
            fail("the job succeeded");
        } catch (Exception e) {
            String messages = DataStreamJobs.messages(e);
            assertTrue(messages, messages.contains("'*.*'") && messages.contains("StarRocksRowData"));
        }
    }

    /** Sink options: CSV, records name their tables, two tables with their own properties. */
    private static StarRocksSinkOptions options(String db, String... extra) {
        return optionsFor(db, "*", "*", extra);
    }

    private static StarRocksSinkOptions optionsFor(
            String db, String databaseName, String tableName, String... extra) {
        String[] kv = Arrays.copyOf(new String[] {"sink.properties.format", "csv"}, 2 + extra.length);
        System.arraycopy(extra, 0, kv, 2, extra.length);
        StarRocksSinkOptions options = DataStreamJobs.options(emulator, databaseName, tableName, kv);
        options.addTableProperties(
                StreamLoadTableProperties.builder().database(db).table("t_json").addProperty("format", "json").build());
        options.addTableProperties(
                StreamLoadTableProperties.builder()
                        .database(db)
                        .table("t_mapped")
                        .addProperty("column_separator", "|")
                        .columns("`name`,`id`,`tag`='mapped'")
                        .build());
        return options;
    }

    private static void createTables(String db) throws Exception {
        emulator.createTable(db, "t_csv", "DUPLICATE", Collections.singletonList("id"), "id INT NOT NULL", "name VARCHAR(64)");
        emulator.createTable(db, "t_json", "DUPLICATE", Collections.singletonList("id"), "id INT NOT NULL", "name VARCHAR(64)");
        emulator.createTable(db, "t_mapped", "DUPLICATE", Collections.singletonList("id"),
                "id INT NOT NULL", "name VARCHAR(64)", "tag VARCHAR(16)");
    }

    /**
     * Per id: a CSV row of t_csv, a JSON row of t_json (with {@code batches}, every 10th id as a
     * batch of two rows in one StarRocksSinkRowDataWithMeta), a reordered '|' row of t_mapped,
     * and records that name no table or carry no row (dropped).
     */
    private static DataStream<Object> rows(StreamExecutionEnvironment env, String db, boolean batches) {
        return env.fromSequence(1, IDS)
                .flatMap(new FlatMapFunction<Long, Object>() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    public void flatMap(Long id, Collector<Object> out) {
                        out.collect(new DefaultStarRocksRowData(null, db, "t_csv", id + "\tcsv-" + id));
                        if (batches && id % 10 == 0) {
                            StarRocksSinkRowDataWithMeta batch = new StarRocksSinkRowDataWithMeta();
                            batch.setDatabase(db);
                            batch.setTable("t_json");
                            batch.addDataRow("{\"id\": " + id + ", \"name\": \"json-" + id + "\"}");
                            batch.addDataRow("{\"id\": " + (-id) + ", \"name\": \"json-" + (-id) + "\"}");
                            out.collect(batch);
                        } else {
                            out.collect(new DefaultStarRocksRowData(null, db, "t_json",
                                    "{\"id\": " + id + ", \"name\": \"json-" + id + "\"}"));
                        }
                        out.collect(new DefaultStarRocksRowData(null, db, "t_mapped", "mapped-" + id + "|" + id));
                        if (id % 500 == 0) {
                            out.collect(new DefaultStarRocksRowData(null, db, "", "1\tno table"));
                            out.collect(new DefaultStarRocksRowData(null, db, "t_csv", ""));
                            out.collect(new DefaultStarRocksRowData(null, null, "t_csv", "2\tno database"));
                        }
                    }
                })
                .returns(TypeInformation.of(Object.class));
    }

    private static void assertTables(String db, boolean batches) throws Exception {
        List<List<String>> csv = new ArrayList<>();
        List<List<String>> json = new ArrayList<>();
        List<List<String>> mapped = new ArrayList<>();
        for (long id = 1; id <= IDS; id++) {
            csv.add(Arrays.asList(String.valueOf(id), "csv-" + id));
            json.add(Arrays.asList(String.valueOf(id), "json-" + id));
            if (batches && id % 10 == 0) {
                json.add(Arrays.asList(String.valueOf(-id), "json-" + (-id)));
            }
            mapped.add(Arrays.asList(String.valueOf(id), "mapped-" + id, "mapped"));
        }
        assertEquals(sorted(csv), sorted(emulator.rows(db, "t_csv")));
        assertEquals(sorted(json), sorted(emulator.rows(db, "t_json")));
        assertEquals(sorted(mapped), sorted(emulator.rows(db, "t_mapped")));
    }

    private static List<List<String>> sorted(List<List<String>> rows) {
        List<List<String>> copy = new ArrayList<>(rows);
        copy.sort(Comparator.comparingLong(r -> Long.parseLong(r.get(0))));
        return copy;
    }

    /** Hands StarRocksRowData records through (copied into one reused object, as Flink CDC does). */
    private static final class PassThroughSchema implements RecordSerializationSchema<Object> {
        private static final long serialVersionUID = 1L;
        private transient DefaultStarRocksRowData reusable;
        private transient String opened;

        @Override
        public void open(SerializationSchema.InitializationContext context, StarRocksSinkContext sinkContext) {
            reusable = new DefaultStarRocksRowData();
            opened = sinkContext.getInitContext().getSubtaskId() + "/"
                    + sinkContext.getInitContext().getNumberOfParallelSubtasks() + "/"
                    + sinkContext.getSinkOptions().getTableName();
            OPENED.add(opened);
            if (context.getMetricGroup() == null) {
                throw new IllegalStateException("no metric group");
            }
        }

        @Override
        public StarRocksRowData serialize(Object record) {
            if (record instanceof StarRocksRowData) {
                StarRocksRowData row = (StarRocksRowData) record;
                reusable.setDatabase(row.getDatabase());
                reusable.setTable(row.getTable());
                reusable.setRow(row.getRow());
                return reusable;
            }
            return null;
        }

        @Override
        public void close() {
            CLOSED.add(opened);
        }
    }
}
