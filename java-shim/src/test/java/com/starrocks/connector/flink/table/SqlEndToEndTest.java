package com.starrocks.connector.flink.table;

import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.MixedTypes;
import com.starrocks.connector.flink.testing.Rows;
import com.starrocks.connector.flink.testing.SqlJobs;

import org.apache.flink.table.api.TableEnvironment;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

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
        emulator.createTable("e2e", table, "DUPLICATE", Collections.singletonList("id"), MixedTypes.STARROCKS_COLUMNS);
        TableEnvironment env = SqlJobs.streaming(2);
        env.executeSql(
                "CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen',"
                        + " 'fields.id.kind' = 'sequence', 'fields.id.start' = '1',"
                        + " 'fields.id.end' = '" + ROWS + "', 'rows-per-second' = '100000000')");
        env.executeSql(
                "CREATE TABLE sink (" + MixedTypes.FLINK_COLUMNS + ") WITH ("
                        + SqlJobs.sinkWith(emulator, "e2e", table, concat(extra,
                                "sink.properties.format", format,
                                "sink.use.new-sink-api", String.valueOf(newSinkApi),
                                "sink.buffer-flush.max-rows", "30000"))
                        + ")");
        long start = System.nanoTime();
        env.executeSql("INSERT INTO sink " + MixedTypes.SELECT).await();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("[e2e] %s: %d rows in %.2f s = %.0f rows/s%n", table, ROWS, seconds, ROWS / seconds);

        List<List<String>> rows = new ArrayList<>(emulator.rows("e2e", table));
        assertEquals(ROWS, rows.size());
        rows.sort(Comparator.comparingLong(r -> Long.parseLong(r.get(0))));
        for (int i = 0; i < ROWS; i++) {
            long id = i + 1;
            Rows.assertRow(id, MixedTypes.STARROCKS_COLUMNS, MixedTypes.expected(id), rows.get(i));
        }
    }

    private static String[] concat(String[] extra, String... base) {
        String[] all = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }
}
