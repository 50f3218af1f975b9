package com.starrocks.connector.flink.table;

import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.SqlJobs;

import org.apache.flink.table.api.TableEnvironment;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * The types beyond the basic ones through Flink SQL, in CSV and JSON: TIME, TIMESTAMP_LTZ in the
 * session time zone, JSON text into JSON columns, ARRAY/MAP/ROW into JSON, VARCHAR and the nested
 * StarRocks types, BYTES into VARBINARY; values CSV cannot carry fail naming the column.
 */
public class SqlTypesTest {
    private static EmulatorProcess emulator;

    @BeforeClass
    public static void startEmulator() throws Exception {
        emulator = EmulatorProcess.start();
        emulator.createDatabase("types");
    }

    @AfterClass
    public static void stopEmulator() throws Exception {
        emulator.close();
    }

    private static TableEnvironment shanghai() {
        TableEnvironment env = SqlJobs.streaming(1);
        env.getConfig().setLocalTimeZone(ZoneId.of("Asia/Shanghai"));
        return env;
    }

    private static void textualTypesLand(String format) throws Exception {
        String table = "text_" + format;
        emulator.sql("CREATE TABLE types." + table + " (id INT NOT NULL, t VARCHAR(16), ltz DATETIME, j JSON,"
                + " arr_json JSON, row_text VARCHAR(64), map_json JSON) DUPLICATE KEY (id) DISTRIBUTED BY HASH(id)");
        TableEnvironment env = shanghai();
        env.executeSql("CREATE TABLE sink (id INT, t TIME(0), ltz TIMESTAMP_LTZ(3), j STRING, arr_json ARRAY<INT>,"
                + " row_text ROW<a INT, b STRING>, map_json MAP<STRING, DOUBLE>) WITH ("
                + SqlJobs.sinkWith(emulator, "types", table, "sink.properties.format", format) + ")");
        env.executeSql("INSERT INTO sink VALUES"
                + " (1, TIME '12:34:56', TO_TIMESTAMP_LTZ(0, 3), '{\"k\": [1, \"x\"]}', ARRAY[1, CAST(NULL AS INT), 3],"
                + "  ROW(7, 'q\"uote'), MAP['a', 1.5]),"
                + " (2, CAST(NULL AS TIME(0)), TO_TIMESTAMP_LTZ(1577836800123, 3), '42', ARRAY[CAST(NULL AS INT)],"
                + "  ROW(CAST(NULL AS INT), 'x'), CAST(NULL AS MAP<STRING, DOUBLE>))")
                .await();
        List<List<String>> rows = emulator.rows("types", table);
        rows.sort((a, b) -> a.get(0).compareTo(b.get(0)));
        assertEquals(
                Arrays.asList(
                        Arrays.asList("1", "12:34:56", "1970-01-01 08:00:00", "{\"k\": [1, \"x\"]}", "[1, null, 3]",
                                "{\"a\":7,\"b\":\"q\\\"uote\"}", "{\"a\": 1.5}"),
                        Arrays.asList("2", null, "2020-01-01 08:00:00.123000", "42", "[null]",
                                "{\"a\":null,\"b\":\"x\"}", null)),
                rows);
    }

    @Test
    public void timeZonedTimestampsJsonAndNestedValuesLandInCsv() throws Exception {
        textualTypesLand("csv");
    }

    @Test
    public void timeZonedTimestampsJsonAndNestedValuesLandInJson() throws Exception {
        textualTypesLand("json");
    }

    private static void nestedAndBinaryColumnsLand(String format) throws Exception {
        String table = "nested_" + format;
        emulator.sql("CREATE TABLE types." + table + " (id INT NOT NULL, a ARRAY<INT>, s ARRAY<VARCHAR(16)>,"
                + " m MAP<VARCHAR(8), DOUBLE>, st STRUCT<x INT, y ARRAY<DATE>>, b VARBINARY)"
                + " DUPLICATE KEY (id) DISTRIBUTED BY HASH(id)");
        TableEnvironment env = SqlJobs.streaming(1);
        env.executeSql("CREATE TABLE sink (id INT, a ARRAY<INT>, s ARRAY<STRING>, m MAP<STRING, DOUBLE>,"
                + " st ROW<x INT, y ARRAY<DATE>>, b BYTES) WITH ("
                + SqlJobs.sinkWith(emulator, "types", table, "sink.properties.format", format) + ")");
        env.executeSql("INSERT INTO sink VALUES"
                + " (1, ARRAY[1, CAST(NULL AS INT), 3], ARRAY['tab\there', 'quote\"', '\u00e9'], MAP['k', 2.5],"
                + "  ROW(7, ARRAY[DATE '2020-02-29']), X'00ff10'),"
                + " (2, CAST(NULL AS ARRAY<INT>), ARRAY[''], MAP['n', CAST(NULL AS DOUBLE)],"
                + "  ROW(CAST(NULL AS INT), CAST(NULL AS ARRAY<DATE>)), X'')")
                .await();
        List<List<String>> rows = emulator.rows("types", table);
        rows.sort((a, b) -> a.get(0).compareTo(b.get(0)));
        assertEquals(
                Arrays.asList(
                        Arrays.asList("1", "[1,null,3]", "[\"tab\there\",\"quote\\\"\",\"\u00e9\"]", "{\"k\":2.5}",
                                "{\"x\":7,\"y\":[\"2020-02-29\"]}", "0x00FF10"),
                        Arrays.asList("2", null, "[\"\"]", "{\"n\":null}", "{\"x\":null,\"y\":null}", "0x")),
                rows);
    }

    @Test
    public void nestedAndBinaryColumnsLandInCsv() throws Exception {
        nestedAndBinaryColumnsLand("csv");
    }

    @Test
    public void nestedAndBinaryColumnsLandInJson() throws Exception {
        nestedAndBinaryColumnsLand("json");
    }

    @Test
    public void textThatIsNotJsonFailsForAJsonColumnNamingIt() throws Exception {
        emulator.sql("CREATE TABLE types.bad_json (id INT NOT NULL, j JSON) DUPLICATE KEY (id) DISTRIBUTED BY HASH(id)");
        TableEnvironment env = SqlJobs.streamingWithoutRestarts(1);
        env.executeSql("CREATE TABLE sink (id INT, j STRING) WITH ("
                + SqlJobs.sinkWith(emulator, "types", "bad_json") + ")");
        try {
            env.executeSql("INSERT INTO sink VALUES (1, '{not json')").await();
            fail("the job should fail");
        } catch (Exception e) {
            String message = causes(e);
            assertTrue(message, message.contains("column 'j': the value is not valid JSON for a JSON column"));
        }
        assertEquals(0, emulator.rows("types", "bad_json").size());
    }

    @Test
    public void bytesIntoAVarcharColumnFailAtPlanning() throws Exception {
        emulator.sql("CREATE TABLE types.bytes_text (id INT NOT NULL, b VARCHAR(16)) DUPLICATE KEY (id) DISTRIBUTED BY HASH(id)");
        TableEnvironment env = SqlJobs.streaming(1);
        env.executeSql("CREATE TABLE sink (id INT, b BYTES) WITH ("
                + SqlJobs.sinkWith(emulator, "types", "bytes_text") + ")");
        try {
            env.executeSql("INSERT INTO sink VALUES (1, X'00ff')").await();
            fail("planning should fail");
        } catch (Exception e) {
            String message = causes(e);
            assertTrue(message, message.contains("b (Flink BYTES, StarRocks VARCHAR)"));
        }
    }

    private static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append(" | ");
        }
        return sb.toString();
    }
}
