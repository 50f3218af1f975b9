package com.starrocks.connector.flink.datastream;

import com.starrocks.connector.flink.StarRocksSink;
import com.starrocks.connector.flink.natives.StarRocksException;
import com.starrocks.connector.flink.row.sink.StarRocksSinkOP;
import com.starrocks.connector.flink.row.sink.StarRocksSinkRowBuilder;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;
import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.Rows;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;
import org.apache.flink.table.api.DataTypes;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * {@code StarRocksSink.sink(schema, options, rowBuilder)}: Java values of every supported type
 * land value by value (CSV and JSON); a schema with a primary key upserts and deletes; a value of
 * the wrong Java class, a NULL in a NOT NULL column and an unsupported type fail with the table,
 * column and class named.
 */
public class RowBuilderSinkTest {
    private static final int ROWS = 2_000;
    private static EmulatorProcess emulator;

    private static final String[] STARROCKS_COLUMNS = {
        "id BIGINT NOT NULL",
        "c_bool BOOLEAN",
        "c_tinyint TINYINT",
        "c_smallint SMALLINT",
        "c_int INT",
        "c_float FLOAT",
        "c_double DOUBLE",
        "c_dec DECIMAL(10,2)",
        "c_bigdec DECIMAL(38,10)",
        "c_char CHAR(5)",
        "c_varchar VARCHAR(64)",
        "c_string STRING",
        "c_date DATE",
        "c_ts DATETIME",
        "c_ts6 DATETIME"
    };

    @BeforeClass
    public static void startEmulator() throws Exception {
        emulator = EmulatorProcess.start();
    }

    @AfterClass
    public static void stopEmulator() throws Exception {
        emulator.close();
    }

    @SuppressWarnings("deprecation")
    private static org.apache.flink.table.api.TableSchema allTypes() {
        return org.apache.flink.table.api.TableSchema.builder()
                .field("id", DataTypes.BIGINT().notNull())
                .field("c_bool", DataTypes.BOOLEAN())
                .field("c_tinyint", DataTypes.TINYINT())
                .field("c_smallint", DataTypes.SMALLINT())
                .field("c_int", DataTypes.INT())
                .field("c_float", DataTypes.FLOAT())
                .field("c_double", DataTypes.DOUBLE())
                .field("c_dec", DataTypes.DECIMAL(10, 2))
                .field("c_bigdec", DataTypes.DECIMAL(38, 10))
                .field("c_char", DataTypes.CHAR(5))
                .field("c_varchar", DataTypes.VARCHAR(64))
                .field("c_string", DataTypes.STRING())
                .field("c_date", DataTypes.DATE())
                .field("c_ts", DataTypes.TIMESTAMP(3))
                .field("c_ts6", DataTypes.TIMESTAMP(6))
                .build();
    }

    @SuppressWarnings("deprecation")
    private static <T> SinkFunction<T> sink(
            org.apache.flink.table.api.TableSchema schema, StarRocksSinkOptions options, StarRocksSinkRowBuilder<T> builder) {
        return StarRocksSink.sink(schema, options, builder);
    }

    @Test
    public void everySupportedJavaTypeLandsExactlyAsCsv() throws Exception {
        loadAllTypes("types_csv", "csv");
    }

    @Test
    public void everySupportedJavaTypeLandsExactlyAsJson() throws Exception {
        loadAllTypes("types_json", "json");
    }

    private void loadAllTypes(String table, String format) throws Exception {
        emulator.createTable("rowbuilder", table, "DUPLICATE", Collections.singletonList("id"), STARROCKS_COLUMNS);
        StreamExecutionEnvironment env = DataStreamJobs.environment(2, 0);
        StarRocksSinkOptions options =
                DataStreamJobs.options(emulator, "rowbuilder", table, "sink.properties.format", format);
        env.fromSequence(1, ROWS).addSink(sink(allTypes(), options, new AllTypesBuilder()));
        env.execute("row builder " + format);

        List<List<String>> rows = new ArrayList<>(emulator.rows("rowbuilder", table));
        assertEquals(ROWS, rows.size());
        rows.sort(Comparator.comparingLong(r -> Long.parseLong(r.get(0))));
        for (int i = 0; i < ROWS; i++) {
            assertRow(i + 1, rows.get(i));
        }
    }

    /** Derives every value from the id, alternating the accepted Java classes. */
    private static final class AllTypesBuilder implements StarRocksSinkRowBuilder<Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public void accept(Object[] row, Long boxed) {
            long id = boxed;
            boolean odd = id % 2 == 1;
            row[0] = odd ? (Object) id : (Object) (int) id;
            row[1] = id % 2 == 0;
            row[2] = odd ? (Object) (byte) (id % 100) : (Object) (int) (id % 100);
            row[3] = (short) (id % 30000);
            row[4] = id % 7 == 0 ? null : (Object) (int) (id * 3);
            row[5] = id / 4f;
            row[6] = odd ? (Object) (id / 3.0) : (Object) (id / 8f);
            row[7] = BigDecimal.valueOf(id * 1000 + 5, 3);
            row[8] = odd ? (Object) new BigDecimal(id + "123456789012345678.0123456789") : (Object) BigDecimal.valueOf(id).pow(3).toBigInteger();
            row[9] = "c" + id % 10;
            row[10] = odd ? "v-" + id + " h\u00e9 \ud83d\ude00 \"q\"" : new StringBuilder("sb-").append(id);
            row[11] = id % 5 == 0 ? null : (id % 3 == 0 ? (Object) 'x' : (Object) ("s" + id));
            LocalDate date = LocalDate.of(2000, 1, 1).plusDays(id);
            row[12] = odd ? (Object) date : (Object) java.sql.Date.valueOf(date);
            LocalDateTime ts = LocalDateTime.of(2020, 1, 1, 0, 0, 0, 123_000_000).plusSeconds(id);
            row[13] = odd ? (Object) ts : (Object) Timestamp.valueOf(ts);
            row[14] = LocalDateTime.of(2021, 6, 1, 12, 0, 0, 654_321_789).plusMinutes(id);
        }
    }

    private static void assertRow(long id, List<String> got) {
        boolean odd = id % 2 == 1;
        List<Object> want =
                Arrays.<Object>asList(
                        String.valueOf(id),
                        id % 2 == 0 ? "1" : "0",
                        String.valueOf(id % 100),
                        String.valueOf(id % 30000),
                        id % 7 == 0 ? null : String.valueOf(id * 3),
                        id / 4f,
                        odd ? id / 3.0 : (double) (id / 8f),
                        BigDecimal.valueOf(id * 1000 + 5, 3).setScale(2, RoundingMode.HALF_UP).toPlainString(),
                        odd
                                ? new BigDecimal(id + "123456789012345678.0123456789").toPlainString()
                                : BigDecimal.valueOf(id).pow(3).setScale(10).toPlainString(),
                        "c" + id % 10,
                        odd ? "v-" + id + " h\u00e9 \ud83d\ude00 \"q\"" : "sb-" + id,
                        id % 5 == 0 ? null : (id % 3 == 0 ? "x" : "s" + id),
                        LocalDate.of(2000, 1, 1).plusDays(id).toString(),
                        Rows.datetime(LocalDateTime.of(2020, 1, 1, 0, 0, 0, 123_000_000).plusSeconds(id)),
                        // TIMESTAMP(6): nanoseconds below the microsecond are cut
                        Rows.datetime(LocalDateTime.of(2021, 6, 1, 12, 0, 0, 654_321_000).plusMinutes(id)));
        Rows.assertRow(id, STARROCKS_COLUMNS, want, got);
    }

    @SuppressWarnings("deprecation")
    private static org.apache.flink.table.api.TableSchema scores() {
        return org.apache.flink.table.api.TableSchema.builder()
                .field("id", DataTypes.INT().notNull())
                .field("name", DataTypes.STRING())
                .field("score", DataTypes.INT())
                .primaryKey("id")
                .build();
    }

    @Test
    public void aSchemaWithAPrimaryKeyUpsertsAndDeletes() throws Exception {
        emulator.createTable("rowbuilder", "pk_scores", "PRIMARY", Collections.singletonList("id"),
                "id INT NOT NULL", "name VARCHAR(64)", "score INT");
        StreamExecutionEnvironment env = DataStreamJobs.environment(1, 0);
        StarRocksSinkOptions options = DataStreamJobs.options(emulator, "rowbuilder", "pk_scores");
        // op: 0/UPSERT/null upsert, 1/DELETE delete
        env.fromElements("1,a,10,0", "2,b,20,UPSERT", "3,c,30,", "1,a2,11,0", "2,,,DELETE", "3,,,1", "4,d,40,0")
                .addSink(sink(scores(), options, new ScoreBuilder()));
        env.execute("row builder upsert/delete");
        assertEquals(
                Arrays.asList(Arrays.asList("1", "a2", "11"), Arrays.asList("4", "d", "40")),
                emulator.rows("rowbuilder", "pk_scores"));
    }

    /** "id,name,score,op" with op "", a number or a StarRocksSinkOP name. */
    private static final class ScoreBuilder implements StarRocksSinkRowBuilder<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public void accept(Object[] row, String csv) {
            String[] f = csv.split(",", -1);
            row[0] = Integer.parseInt(f[0]);
            row[1] = f[1].isEmpty() ? null : f[1];
            row[2] = f[2].isEmpty() ? null : (Object) Integer.parseInt(f[2]);
            String op = f[3];
            row[3] = op.isEmpty() ? null : Character.isDigit(op.charAt(0)) ? (Object) Integer.parseInt(op) : StarRocksSinkOP.valueOf(op);
        }
    }

    @Test
    public void aValueOfTheWrongJavaClassFailsTheJobNamingTableColumnAndClass() throws Exception {
        assertJobFails(
                (row, s) -> {
                    row[0] = 1;
                    row[1] = "name";
                    row[2] = "not a number";
                    row[3] = 0;
                },
                "rowbuilder.pk_scores_bad", "column 'score'", "java.lang.String", "expected");
    }

    @Test
    public void aNullInANotNullColumnFailsTheJob() throws Exception {
        assertJobFails(
                (row, s) -> row[1] = "no id", "rowbuilder.pk_scores_bad", "column 'id'", "NOT NULL");
    }

    @Test
    public void anUnknownOperationFailsTheJob() throws Exception {
        assertJobFails(
                (row, s) -> {
                    row[0] = 1;
                    row[3] = 7;
                },
                "rowbuilder.pk_scores_bad", "operation", "7");
    }

    private void assertJobFails(StarRocksSinkRowBuilder<String> builder, String... expected) throws Exception {
        StreamExecutionEnvironment env = DataStreamJobs.environment(1, 0);
        StarRocksSinkOptions options = DataStreamJobs.options(emulator, "rowbuilder", "pk_scores_bad");
        env.fromElements("x").addSink(sink(scores(), options, builder));
        try {
            env.execute("bad row");
            fail("the job succeeded");
        } catch (Exception e) {
            String messages = DataStreamJobs.messages(e);
            assertTrue(messages, messages.contains("INVALID_DATA"));
            for (String part : expected) {
                assertTrue("'" + part + "' not in:\n" + messages, messages.contains(part));
            }
        }
    }

    @Test
    @SuppressWarnings("deprecation")
    public void anUnsupportedTypeFailsWhereTheSinkIsCreated() {
        org.apache.flink.table.api.TableSchema schema =
                org.apache.flink.table.api.TableSchema.builder()
                        .field("id", DataTypes.INT())
                        .field("tags", DataTypes.ARRAY(DataTypes.STRING()))
                        .build();
        StarRocksSinkOptions options = DataStreamJobs.options(emulator, "rowbuilder", "t");
        try {
            sink(schema, options, (row, s) -> {});
            fail();
        } catch (StarRocksException e) {
            assertEquals(StarRocksException.Kind.UNSUPPORTED, e.kind());
            assertTrue(e.getMessage(), e.getMessage().contains("column 'tags'") && e.getMessage().contains("ARRAY"));
        }
    }

    @Test
    public void aWildcardTableIsRefusedWhereTheSinkIsCreated() {
        StarRocksSinkOptions options = DataStreamJobs.options(emulator, "*", "*");
        try {
            sink(scores(), options, (row, s) -> {});
            fail();
        } catch (StarRocksException e) {
            assertEquals(StarRocksException.Kind.CONFIG, e.kind());
            assertTrue(e.getMessage(), e.getMessage().contains("'database-name'"));
        }
    }
}
