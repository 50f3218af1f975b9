package com.starrocks.connector.flink.datastream;

import com.starrocks.connector.flink.testing.EmulatorProcess;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.Assert.assertEquals;

/**
 * Every DataStream example ({@code examples/datastream}) runs as a user runs it, its own JVM
 * with a local MiniCluster, against the emulator, and what lands is exactly what it wrote.
 */
public class ExamplesTest {
    private static final String[] SCORE_BOARD = {
        "id INT NOT NULL", "name VARCHAR(65533)", "score INT NOT NULL"
    };
    private static final String[] SCORE_BOARD_NULLABLE_SCORE = {
        "id INT NOT NULL", "name VARCHAR(65533)", "score INT"
    };

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
    public void loadCsvRecordsLoadsTheCsvLinesWithNull() throws Exception {
        scoreBoard("csv_example", SCORE_BOARD);
        ExampleRunner.run("LoadCsvRecords", args("csv_example", "--table", "score_board"));
        assertEquals(
                Arrays.asList(
                        row("1", "starrocks-csv", "100"), row("2", "flink-csv", "100"), row("3", null, "0")),
                emulator.rows("csv_example", "score_board"));
    }

    @Test
    public void loadJsonRecordsLoadsTheObjectsWithMissingKeysAsNull() throws Exception {
        scoreBoard("json_example", SCORE_BOARD);
        ExampleRunner.run("LoadJsonRecords", args("json_example", "--table", "score_board"));
        assertEquals(
                Arrays.asList(
                        row("1", "starrocks-json", "100"), row("2", "flink-json", "100"), row("3", null, "0")),
                emulator.rows("json_example", "score_board"));
    }

    @Test
    public void loadCustomJavaRecordsUpsertsTheBuiltRows() throws Exception {
        scoreBoard("pojo_example", SCORE_BOARD);
        ExampleRunner.run("LoadCustomJavaRecords", args("pojo_example", "--table", "score_board"));
        assertEquals(
                Arrays.asList(
                        row("1", "starrocks-rowdata", "100"),
                        row("2", "flink-rowdata", "100"),
                        row("3", null, "0")),
                emulator.rows("pojo_example", "score_board"));
    }

    @Test
    public void writeMultipleTablesRoutesRowsAndAppliesThePartialUpdateOfTheSecondTable() throws Exception {
        emulator.createTable("multi_example", "tbl1", "PRIMARY", Collections.singletonList("id"), SCORE_BOARD_NULLABLE_SCORE);
        emulator.createTable("multi_example", "tbl2", "PRIMARY", Collections.singletonList("order_id"),
                "order_id BIGINT NOT NULL", "order_state INT", "total_price BIGINT");
        ExampleRunner.run("WriteMultipleTables", args("multi_example", "--table1", "tbl1", "--table2", "tbl2"));
        assertEquals(
                Arrays.asList(row("1", "starrocks-json", "100"), row("2", "flink-json", null)),
                emulator.rows("multi_example", "tbl1"));
        // Only order_id and order_state are loaded ('columns' of the table's own properties).
        assertEquals(
                Arrays.asList(row("1", "1", null), row("2", "2", null)),
                emulator.rows("multi_example", "tbl2"));
    }

    @Test
    public void loadRecordsWithSinkV2RoutesSerializedRowsAndSkipsNulls() throws Exception {
        emulator.createTable("sinkv2_example", "tbl1", "PRIMARY", Collections.singletonList("id"), SCORE_BOARD);
        emulator.createTable("sinkv2_example", "tbl2", "PRIMARY", Collections.singletonList("id"), SCORE_BOARD);
        ExampleRunner.run("LoadRecordsWithSinkV2", args("sinkv2_example", "--table1", "tbl1", "--table2", "tbl2"));
        assertEquals(
                Collections.singletonList(row("1", "starrocks-sinkv2", "100")),
                emulator.rows("sinkv2_example", "tbl1"));
        assertEquals(
                Arrays.asList(row("1", "flink-sinkv2", "90"), row("2", "name with \"quotes\"", "80")),
                emulator.rows("sinkv2_example", "tbl2"));
    }

    private static void scoreBoard(String db, String[] columns) throws Exception {
        emulator.createTable(db, "score_board", "PRIMARY", Collections.singletonList("id"), columns);
    }

    private static String[] args(String db, String... tables) {
        String[] common = {"--load-url", emulator.feHttp(), "--database", db, "--username", "root"};
        String[] all = Arrays.copyOf(common, common.length + tables.length);
        System.arraycopy(tables, 0, all, common.length, tables.length);
        return all;
    }

    static List<String> row(String... values) {
        return Arrays.asList(values);
    }
}
