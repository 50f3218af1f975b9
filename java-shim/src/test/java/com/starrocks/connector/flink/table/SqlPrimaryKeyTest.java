package com.starrocks.connector.flink.table;

import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.SqlJobs;

import org.apache.flink.table.api.TableEnvironment;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * PRIMARY KEY tables through Flink SQL: the table is read through jdbc-url; upserts and deletes
 * of a changelog land as such; an INSERT with a column list is a partial update; schema
 * mismatches fail at planning with the columns named.
 */
public class SqlPrimaryKeyTest {
    private static EmulatorProcess emulator;

    @BeforeClass
    public static void startEmulator() throws Exception {
        emulator = EmulatorProcess.start();
        emulator.createDatabase("pk");
    }

    @AfterClass
    public static void stopEmulator() throws Exception {
        emulator.close();
    }

    private static List<List<String>> sorted(List<List<String>> rows) {
        List<List<String>> out = new ArrayList<>(rows);
        out.sort((a, b) -> a.get(0).compareTo(b.get(0)));
        return out;
    }

    private static void changelogLandsAsUpsertsAndDeletes(String table, String format) throws Exception {
        emulator.sql("CREATE TABLE pk." + table + " (k VARCHAR(8) NOT NULL, c BIGINT) PRIMARY KEY (k) DISTRIBUTED BY HASH(k)");
        TableEnvironment env = SqlJobs.streaming(1);
        env.executeSql(
                "CREATE TABLE sink (k STRING, c BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH ("
                        + SqlJobs.sinkWith(emulator, "pk", table, "sink.properties.format", format) + ")");
        // Counts per key; a key whose count reaches 3 is retracted (a DELETE).
        env.executeSql(
                        "INSERT INTO sink SELECT k, c FROM (SELECT k, COUNT(*) AS c FROM (VALUES"
                                + " ('a'), ('b'), ('b'), ('c'), ('c'), ('c'), ('d'), ('d'), ('d'), ('d'), ('d')) AS t(k)"
                                + " GROUP BY k) WHERE c < 3")
                .await();
        assertEquals(
                Arrays.asList(Arrays.asList("a", "1"), Arrays.asList("b", "2")),
                sorted(emulator.rows("pk", table)));
    }

    @Test
    public void aChangelogLandsAsUpsertsAndDeletesInCsv() throws Exception {
        changelogLandsAsUpsertsAndDeletes("counts_csv", "csv");
    }

    @Test
    public void aChangelogLandsAsUpsertsAndDeletesInJson() throws Exception {
        changelogLandsAsUpsertsAndDeletes("counts_json", "json");
    }

    @Test
    public void anInsertWithAColumnListIsAPartialUpdate() throws Exception {
        emulator.sql("CREATE TABLE pk.people (id INT NOT NULL, name VARCHAR(16), score INT, note VARCHAR(16))"
                + " PRIMARY KEY (id) DISTRIBUTED BY HASH(id)");
        TableEnvironment env = SqlJobs.streaming(1);
        env.executeSql(
                "CREATE TABLE sink (id INT, name STRING, score INT, note STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + SqlJobs.sinkWith(emulator, "pk", "people") + ")");
        env.executeSql("INSERT INTO sink VALUES (1, 'ann', 10, 'keep me'), (2, 'bob', 20, 'me too')").await();
        env.executeSql("INSERT INTO sink (id, score) VALUES (1, 99)").await();
        assertEquals(
                Arrays.asList(Arrays.asList("1", "ann", "99", "keep me"), Arrays.asList("2", "bob", "20", "me too")),
                sorted(emulator.rows("pk", "people")));
    }

    @Test
    public void aFlinkTableWithSomeOfTheColumnsIsAPartialUpdate() throws Exception {
        emulator.sql("CREATE TABLE pk.scores (id INT NOT NULL, name VARCHAR(16), score INT)"
                + " PRIMARY KEY (id) DISTRIBUTED BY HASH(id)");
        TableEnvironment env = SqlJobs.streaming(1);
        env.executeSql("CREATE TABLE full_sink (id INT, name STRING, score INT, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                + SqlJobs.sinkWith(emulator, "pk", "scores", "sink.properties.format", "json") + ")");
        env.executeSql("INSERT INTO full_sink VALUES (1, 'ann', 10), (2, 'bob', 20)").await();
        env.executeSql("CREATE TABLE score_sink (id INT, score INT, PRIMARY KEY (id) NOT ENFORCED) WITH ("
                + SqlJobs.sinkWith(emulator, "pk", "scores", "sink.properties.format", "json") + ")");
        env.executeSql("INSERT INTO score_sink VALUES (2, 21), (3, 30)").await();
        assertEquals(
                Arrays.asList(Arrays.asList("1", "ann", "10"), Arrays.asList("2", "bob", "21"), Arrays.asList("3", null, "30")),
                sorted(emulator.rows("pk", "scores")));
    }

    @Test
    public void deletesIntoADuplicateTableAreDropped() throws Exception {
        emulator.createTable("pk", "dup_counts", "DUPLICATE", Collections.singletonList("k"), "k VARCHAR(8)", "c BIGINT");
        TableEnvironment env = SqlJobs.streaming(1);
        env.executeSql("CREATE TABLE sink (k STRING, c BIGINT) WITH (" + SqlJobs.sinkWith(emulator, "pk", "dup_counts") + ")");
        env.executeSql(
                        "INSERT INTO sink SELECT k, c FROM (SELECT k, COUNT(*) AS c FROM (VALUES"
                                + " ('a'), ('b'), ('b')) AS t(k) GROUP BY k) WHERE c < 2")
                .await();
        // Inserts and update-afters land; the retraction of 'b' is not a delete here.
        assertEquals(Arrays.asList(Arrays.asList("a", "1"), Arrays.asList("b", "1")), sorted(emulator.rows("pk", "dup_counts")));
    }

    private static String planningError(String flinkColumns, String table) {
        TableEnvironment env = SqlJobs.streaming(1);
        env.executeSql("CREATE TABLE sink (" + flinkColumns + ") WITH (" + SqlJobs.sinkWith(emulator, "pk", table) + ")");
        env.executeSql("CREATE TABLE src WITH ('connector' = 'datagen', 'number-of-rows' = '1') LIKE sink (EXCLUDING ALL)");
        try {
            env.explainSql("INSERT INTO sink SELECT * FROM src");
        } catch (Exception e) {
            StringBuilder all = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                all.append(t.getMessage()).append('\n');
            }
            return all.toString();
        }
        fail("planning succeeded");
        return null;
    }

    @Test
    public void schemaMismatchesFailAtPlanningNamingTheColumns() throws Exception {
        emulator.sql("CREATE TABLE pk.strict (id INT NOT NULL, name VARCHAR(16), born DATE) PRIMARY KEY (id) DISTRIBUTED BY HASH(id)");
        String noKey = planningError("id INT, name STRING", "strict");
        assertTrue(noKey, noKey.contains("PRIMARY KEY table with key (id)") && noKey.contains("declares none"));
        String missing = planningError("id INT, nickname STRING, PRIMARY KEY (id) NOT ENFORCED", "strict");
        assertTrue(missing, missing.contains("[nickname] do not exist in StarRocks table pk.strict"));
        assertTrue(missing, missing.contains("born DATE"));
        String types = planningError("id INT, born BOOLEAN, PRIMARY KEY (id) NOT ENFORCED", "strict");
        assertTrue(types, types.contains("born (Flink BOOLEAN, StarRocks DATE)"));
        String absent = planningError("id INT", "no_such_table");
        assertTrue(absent, absent.contains("pk.no_such_table does not exist"));
    }
}
