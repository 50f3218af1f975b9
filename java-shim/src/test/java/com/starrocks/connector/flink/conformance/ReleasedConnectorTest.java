package com.starrocks.connector.flink.conformance;

import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.FlinkJvm;
import com.starrocks.connector.flink.testing.MixedTypes;
import com.starrocks.connector.flink.testing.Rows;
import com.starrocks.connector.flink.testing.SequenceJobs;
import com.starrocks.connector.flink.testing.SqlJobs;
import com.starrocks.connector.flink.testing.TestPaths;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * The emulator with a client nobody here wrote: the released Java connector
 * ({@code com.starrocks:flink-connector-starrocks:1.2.9_flink-1.18} from Maven Central) runs the
 * same kinds of Flink 1.18 SQL jobs as this connector's own tests, in fresh JVMs, and what lands
 * in the emulator is checked value by value. A failure here means the emulator answers something
 * StarRocks would answer differently (or the released connector has a bug): decide by the spec.
 * The emulator runs with one follower FE, and the exactly-once job loads through it.
 */
public class ReleasedConnectorTest {
    private static final String SQL_RUNNER = "com.starrocks.connector.flink.examples.SqlScriptRunner";
    private static final long TIMEOUT_SECONDS = 240;
    private static final long ROWS = 20_000;

    @Rule public TemporaryFolder tmp = new TemporaryFolder();

    private EmulatorProcess emulator;

    @Before
    public void startEmulator() throws Exception {
        emulator = EmulatorProcess.start("--follower-fes", "1");
    }

    @After
    public void stopEmulator() throws Exception {
        emulator.close();
    }

    @Test
    public void mixedTypesInCsvAndJsonLandExactly() throws Exception {
        for (String table : Arrays.asList("types_csv", "types_json")) {
            emulator.createTable("released", table, "DUPLICATE", Collections.singletonList("id"), MixedTypes.STARROCKS_COLUMNS);
        }
        run("SET 'parallelism.default' = '2';\n"
                + "CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'fields.id.kind' = 'sequence',"
                + " 'fields.id.start' = '1', 'fields.id.end' = '" + ROWS + "', 'rows-per-second' = '100000000');\n"
                + "CREATE TABLE types_csv (" + MixedTypes.FLINK_COLUMNS + ") WITH ("
                + SqlJobs.sinkWith(emulator, "released", "types_csv") + ");\n"
                + "CREATE TABLE types_json (" + MixedTypes.FLINK_COLUMNS + ") WITH ("
                + SqlJobs.sinkWith(emulator, "released", "types_json", "sink.properties.format", "json",
                        "sink.properties.strip_outer_array", "true") + ");\n"
                + "INSERT INTO types_csv " + MixedTypes.SELECT + ";\n"
                + "INSERT INTO types_json " + MixedTypes.SELECT + ";\n");
        // What the released connector asked over MySQL, for the record (see the test report).
        List<String> statements = new ArrayList<>();
        for (JsonNode s : emulator.statements()) {
            statements.add(s.get("text").asText());
        }
        System.out.println("[released connector] MySQL statements: " + statements);
        assertTrue(statements.toString(), statements.stream().anyMatch(
                s -> s.contains("`COLUMN_KEY`") && s.contains("information_schema")));
        for (String table : Arrays.asList("types_csv", "types_json")) {
            List<List<String>> rows = new ArrayList<>(emulator.rows("released", table));
            assertEquals(table, ROWS, rows.size());
            rows.sort(Comparator.comparingLong(r -> Long.parseLong(r.get(0))));
            for (int i = 0; i < ROWS; i++) {
                Rows.assertRow(i + 1, MixedTypes.STARROCKS_COLUMNS, MixedTypes.expected(i + 1), rows.get(i));
            }
        }
    }

    /**
     * Exactly-once with a task failure, loading through a follower FE (every transaction call and
     * load takes the follower's 307 to the leader). Chaining is off so that the failing function
     * runs in its own task: chained to Flink 1.18's legacy datagen source, a checkpoint can be
     * taken between the failed emit and the task's failure, and that checkpoint (with the source
     * already past the failing record) completes, so the record is lost by Flink, not by the
     * sink. Unchained, the barrier after the failing record never gets through.
     */
    @Test
    public void exactlyOnceSurvivesATaskFailureThroughAFollowerFe() throws Exception {
        emulator.createTable("released", "exactly_once", "DUPLICATE", Collections.singletonList("id"),
                SequenceJobs.STARROCKS_COLUMNS);
        File marker = new File(tmp.getRoot(), "failed");
        String follower = emulator.followerFeHttp().get(0);
        String output = run("SET 'parallelism.default' = '2';\n"
                + "SET 'execution.checkpointing.interval' = '500 ms';\n"
                + "SET 'pipeline.operator-chaining' = 'false';\n"
                + "CREATE TEMPORARY FUNCTION fail_once AS 'com.starrocks.connector.flink.testjobs.FailOnce';\n"
                + "CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'fields.id.kind' = 'sequence',"
                + " 'fields.id.start' = '1', 'fields.id.end' = '" + ROWS + "', 'rows-per-second' = '4000');\n"
                + "CREATE TABLE sink (id BIGINT, payload VARCHAR(64)) WITH ("
                + SqlJobs.sinkWith(emulator.jdbcUrl(), follower, "released", "exactly_once",
                        "sink.semantic", "exactly-once", "sink.label-prefix", "released") + ");\n"
                + "INSERT INTO sink SELECT fail_once(id, CAST(" + ROWS / 2 + " AS BIGINT), '" + marker.getAbsolutePath()
                + "'), CONCAT('payload-', CAST(id AS STRING)) FROM gen;\n");
        assertTrue("the failure was not injected", marker.exists());
        assertTrue("the failing task is not fail_once's own (chained to the source?):\n" + output,
                Pattern.compile("- Calc\\[\\d+\\] \\(\\d/2\\)#0 \\([^)]*\\) switched from RUNNING to FAILED")
                        .matcher(output).find());
        emulator.awaitPublished("released");
        SequenceJobs.assertExactlyOnce(emulator.rows("released", "exactly_once"), ROWS);
        for (JsonNode l : emulator.labels("released")) {
            String state = l.get("state").asText();
            assertTrue("label " + l + " left open", !state.equals("PREPARE") && !state.equals("PREPARED"));
        }
        Set<String> redirected = new TreeSet<>();
        for (JsonNode r : emulator.requests()) {
            if (r.get("node").asText().equals("fe-follower") && r.get("status").asInt() == 307) {
                redirected.add(r.get("path").asText());
            }
        }
        for (String call : Arrays.asList("/api/transaction/begin", "/api/transaction/load",
                "/api/transaction/prepare", "/api/transaction/commit")) {
            assertTrue(call + " did not go through the follower: " + redirected, redirected.contains(call));
        }
    }

    /**
     * An aggregate's changelog (+I, -U/+U, and a lone -U when the HAVING drops a key) into a
     * PRIMARY KEY table. The released connector ignores every -U by default
     * ({@code sink.ignore.update-before}), which leaves a dropped key's stale row behind (a hole
     * this connector closes); with the option off it loads each -U as a delete.
     */
    @Test
    public void anUpsertAndDeleteChangelogEndsInTheExactState() throws Exception {
        emulator.createTable("released", "counts", "PRIMARY", Collections.singletonList("k"),
                "k VARCHAR(8) NOT NULL", "n BIGINT");
        run("SET 'parallelism.default' = '1';\n"
                + "CREATE TABLE counts (k STRING, n BIGINT, PRIMARY KEY (k) NOT ENFORCED) WITH ("
                + SqlJobs.sinkWith(emulator, "released", "counts", "sink.ignore.update-before", "false") + ");\n"
                + "INSERT INTO counts SELECT k, COUNT(*) FROM (VALUES ('a'), ('b'), ('a'), ('c'), ('b'), ('d'), ('b'))"
                + " AS t(k) GROUP BY k HAVING COUNT(*) <> 2;\n");
        List<List<String>> rows = new ArrayList<>(emulator.rows("released", "counts"));
        rows.sort(Comparator.comparing(r -> r.get(0)));
        // a: 1 then 2 (deleted); b: 1, 2 (deleted), 3; c: 1; d: 1.
        assertEquals(
                Arrays.asList(Arrays.asList("b", "3"), Arrays.asList("c", "1"), Arrays.asList("d", "1")),
                rows);
    }

    private String run(String script) throws IOException, InterruptedException {
        File f = tmp.newFile();
        Files.write(f.toPath(), ("SET 'rest.bind-port' = '0';\n" + script).getBytes(StandardCharsets.UTF_8));
        return FlinkJvm.runOk(
                TestPaths.flinkHome(),
                Arrays.asList(
                        new File(System.getProperty("starrocks.test.releasedConnector")),
                        TestPaths.examplesJar(),
                        new File(System.getProperty("starrocks.test.testJobsJar"))),
                SQL_RUNNER,
                Collections.singletonList(f.getAbsolutePath()),
                TIMEOUT_SECONDS);
    }
}
