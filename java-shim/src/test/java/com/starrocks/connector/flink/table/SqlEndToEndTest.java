package com.starrocks.connector.flink.table;

import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.Rows;
import com.starrocks.connector.flink.testing.SqlJobs;

import org.apache.flink.table.api.TableEnvironment;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import static org.junit.Assert.assertEquals;

/**
 * A Flink SQL INSERT of 100,000 generated rows of mixed types lands in the emulator exactly, value
 * by value, for CSV and JSON, through both sink APIs.
 */
public class SqlEndToEndTest {
    static final int ROWS = 100_000;
    private static EmulatorProcess emulator;

    private static final String[] STARROCKS_COLUMNS = {
        "id BIGINT NOT NULL",
        "c_bool BOOLEAN",
        "c_tinyint TINYINT",
        "c_smallint SMALLINT",
        "c_int INT",
        "c_float FLOAT",
        "c_double DOUBLE",
        "c_decimal DECIMAL(12,3)",
        "c_big_decimal DECIMAL(38,10)",
        "c_varchar VARCHAR(64)",
        "c_date DATE",
        "c_ts DATETIME",
        "c_ts6 DATETIME"
    };

    private static final String FLINK_COLUMNS =
            "id BIGINT, c_bool BOOLEAN, c_tinyint TINYINT, c_smallint SMALLINT, c_int INT,"
                    + " c_float FLOAT, c_double DOUBLE, c_decimal DECIMAL(12,3),"
                    + " c_big_decimal DECIMAL(38,10), c_varchar VARCHAR(64), c_date DATE,"
                    + " c_ts TIMESTAMP(3), c_ts6 TIMESTAMP(6)";

    /** Derives every column from the sequence id; {@link #expected(long)} mirrors it. */
    private static final String SELECT =
            "SELECT id,"
                    + " MOD(id, 2) = 0,"
                    + " CAST(MOD(id, 256) - 128 AS TINYINT),"
                    + " CAST(MOD(id, 65536) - 32768 AS SMALLINT),"
                    + " CASE WHEN MOD(id, 7) = 0 THEN CAST(NULL AS INT) ELSE CAST(id * 7 - 350000 AS INT) END,"
                    + " CAST(CAST(id AS FLOAT) / 4 AS FLOAT),"
                    + " CAST(id AS DOUBLE) / 3,"
                    + " CAST(CAST(id - 50000 AS DOUBLE) + 0.125 AS DECIMAL(12,3)),"
                    + " CAST(CONCAT(CAST(id AS STRING), '123456789012345678.0123456789') AS DECIMAL(38,10)),"
                    + " CASE WHEN MOD(id, 7) = 3 THEN CAST(NULL AS STRING)"
                    + "   ELSE CONCAT('name-', CAST(id AS STRING), CASE WHEN MOD(id, 3) = 0 THEN ' h\u00e9 \ud83d\ude00 \"q\"' ELSE '' END) END,"
                    + " CAST(TIMESTAMPADD(DAY, CAST(id AS INT), TIMESTAMP '2000-01-01 00:00:00') AS DATE),"
                    + " TIMESTAMPADD(SECOND, CAST(id AS INT), TIMESTAMP '2020-01-01 00:00:00.123'),"
                    + " TIMESTAMPADD(MINUTE, CAST(id AS INT), TIMESTAMP '2021-06-01 12:00:00.654321')"
                    + " FROM gen";

    @BeforeClass
    public static void startEmulator() throws Exception {
        emulator = EmulatorProcess.start();
    }

    @AfterClass
    public static void stopEmulator() throws Exception {
        emulator.close();
    }

    @Test
    public void csvThroughTheSinkFunctionLandsExactly() throws Exception {
        runAndCheck("csv_sinkfunction", "csv", false);
    }

    @Test
    public void jsonThroughSinkV2LandsExactly() throws Exception {
        runAndCheck("json_sinkv2", "json", true);
    }

    @Test
    public void lz4CompressedCsvLandsExactly() throws Exception {
        runAndCheck("csv_lz4", "csv", true, "sink.properties.compression", "lz4_frame");
    }

    private void runAndCheck(String table, String format, boolean newSinkApi, String... extra) throws Exception {
        emulator.createTable("e2e", table, "DUPLICATE", Collections.singletonList("id"), STARROCKS_COLUMNS);
        TableEnvironment env = SqlJobs.streaming(2);
        env.executeSql(
                "CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen',"
                        + " 'fields.id.kind' = 'sequence', 'fields.id.start' = '1',"
                        + " 'fields.id.end' = '" + ROWS + "', 'rows-per-second' = '100000000')");
        env.executeSql(
                "CREATE TABLE sink (" + FLINK_COLUMNS + ") WITH ("
                        + SqlJobs.sinkWith(emulator, "e2e", table, concat(extra,
                                "sink.properties.format", format,
                                "sink.use.new-sink-api", String.valueOf(newSinkApi),
                                "sink.buffer-flush.max-rows", "30000"))
                        + ")");
        long start = System.nanoTime();
        env.executeSql("INSERT INTO sink " + SELECT).await();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("[e2e] %s: %d rows in %.2f s = %.0f rows/s%n", table, ROWS, seconds, ROWS / seconds);

        List<List<String>> rows = new ArrayList<>(emulator.rows("e2e", table));
        assertEquals(ROWS, rows.size());
        rows.sort(Comparator.comparingLong(r -> Long.parseLong(r.get(0))));
        for (int i = 0; i < ROWS; i++) {
            long id = i + 1;
            Rows.assertRow(id, STARROCKS_COLUMNS, expected(id), rows.get(i));
        }
    }

    private static String[] concat(String[] extra, String... base) {
        String[] all = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    static List<Object> expected(long id) {
        return Arrays.<Object>asList(
                String.valueOf(id),
                id % 2 == 0 ? "1" : "0",
                String.valueOf(id % 256 - 128),
                String.valueOf(id % 65536 - 32768),
                id % 7 == 0 ? null : String.valueOf(id * 7 - 350000),
                (float) id / 4,
                (double) id / 3,
                new BigDecimal(id - 50000).add(new BigDecimal("0.125")).setScale(3).toPlainString(),
                new BigDecimal(id + "123456789012345678.0123456789").toPlainString(),
                id % 7 == 3 ? null : "name-" + id + (id % 3 == 0 ? " h\u00e9 \ud83d\ude00 \"q\"" : ""),
                LocalDate.of(2000, 1, 1).plusDays(id).toString(),
                Rows.datetime(LocalDateTime.of(2020, 1, 1, 0, 0, 0, 123_000_000).plusSeconds(id)),
                Rows.datetime(LocalDateTime.of(2021, 6, 1, 12, 0, 0, 654_321_000).plusMinutes(id)));
    }
}
