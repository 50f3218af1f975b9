package com.starrocks.connector.flink.sink;

import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.Options;
import com.starrocks.connector.flink.testing.SequenceJobs;
import com.starrocks.connector.flink.testing.TestPaths;
import com.starrocks.connector.flink.testing.SequenceJobs.Api;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * Real Flink jobs (MiniCluster, checkpoints every 300 ms) with failures injected at random points:
 * exactly-once ends with every row exactly once; at-least-once with nothing missing. Both sink
 * APIs.
 */
@RunWith(Parameterized.class)
public class DeliveryUnderFailuresTest {
    private static final long ROWS = 200_000L * TestPaths.scale();
    private static EmulatorProcess emulator;

    @Parameterized.Parameters(name = "{0}")
    public static Collection<Object[]> apis() {
        return Arrays.asList(new Object[][] {{Api.SINK_FUNCTION}, {Api.SINK_V2}});
    }

    private final Api api;

    public DeliveryUnderFailuresTest(Api api) {
        this.api = api;
    }

    @BeforeClass
    public static void startEmulator() throws Exception {
        emulator = EmulatorProcess.start();
    }

    @AfterClass
    public static void stopEmulator() throws Exception {
        emulator.close();
    }

    static List<Long> randomFailurePoints(long seed, int count, long n) {
        Random r = new Random(seed);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add((long) (n * 0.1 + r.nextDouble() * n * 0.8));
        }
        Collections.sort(ids);
        return ids;
    }

    private static void assertNoOpenTransactions(String db) throws Exception {
        JsonNode labels = emulator.labels(db);
        for (JsonNode l : labels) {
            String state = l.get("state").asText();
            assertTrue("label " + l + " was left open", !state.equals("PREPARE") && !state.equals("PREPARED"));
        }
    }

    @Test
    public void exactlyOnceLandsEveryRowExactlyOnceDespiteFailures() throws Exception {
        String table = "eo_" + api.name().toLowerCase();
        String key = "failures-" + table;
        emulator.createTable("delivery", table, "DUPLICATE", Collections.singletonList("id"), SequenceJobs.STARROCKS_COLUMNS);
        long seed = System.nanoTime();
        List<Long> failAt = randomFailurePoints(seed, 4, ROWS);
        System.out.println("[delivery] " + table + ": failures at " + failAt + " (seed " + seed + ")");
        Map<String, String> options =
                Options.with(
                        Options.required(emulator.feHttp(), "delivery", table),
                        "sink.semantic", "exactly-once",
                        "sink.label-prefix", table,
                        // Small buffers: rows flow into open transactions between checkpoints,
                        // so failures find transactions to clean up.
                        "sink.buffer-flush.max-bytes", "65536");
        int rollbacksBefore = emulator.requestCount("/api/transaction/rollback");
        StreamExecutionEnvironment env = SequenceJobs.environment(2, 300, new Configuration());
        SequenceJobs.build(env, key, ROWS, 100, failAt, api, options);
        env.execute(table);
        assertEquals(4, SequenceJobs.failuresInjected(key));
        SequenceJobs.assertExactlyOnce(emulator.rows("delivery", table), ROWS);
        assertNoOpenTransactions("delivery");
        // Exactly-once labels were used, and the failed attempts' transactions were rolled back.
        int rollbacks = emulator.requestCount("/api/transaction/rollback") - rollbacksBefore;
        int cancels = emulator.requestCount("_cancel");
        System.out.println("[delivery] " + table + ": " + rollbacks + " rollback requests, " + cancels + " cancels");
        assertTrue("no transaction was rolled back after the failures", rollbacks > 0);
        int visible = 0;
        for (JsonNode l : emulator.labels("delivery")) {
            String label = l.get("label").asText();
            if (!label.startsWith(table + "-")) {
                continue;
            }
            assertTrue(label, label.matches(table + "-" + table + "-[01]-[0-9]+"));
            visible += l.get("state").asText().equals("VISIBLE") ? 1 : 0;
        }
        assertTrue("visible " + visible, visible >= 4);
    }

    @Test
    public void exactlyOnceSurvivesStarRocksFaults() throws Exception {
        String table = "eo_faults_" + api.name().toLowerCase();
        emulator.createTable("delivery", table, "DUPLICATE", Collections.singletonList("id"), SequenceJobs.STARROCKS_COLUMNS);
        String only = ", \"table\": \"" + table + "\"";
        // Answers lost after StarRocks applied the request, a publish timeout, a load refused.
        // Each fires within the first two commits and prepares: even a run that finishes after
        // one checkpoint has two of each (two subtasks, end of input).
        emulator.addFault("{\"node\": \"fe\", \"op\": \"commit\", \"nth\": 1" + only + ", \"action\": {\"type\": \"publish_timeout\", \"visible_after_ms\": 200}}");
        emulator.addFault("{\"node\": \"fe\", \"op\": \"commit\", \"nth\": 2" + only + ", \"action\": {\"type\": \"drop_after\"}}");
        emulator.addFault("{\"node\": \"be\", \"op\": \"prepare\", \"nth\": 2" + only + ", \"action\": {\"type\": \"drop_after\"}}");
        emulator.addFault("{\"node\": \"be\", \"op\": \"load\", \"nth\": 7, \"times\": 1" + only + ", \"action\": {\"type\": \"fail\", \"preset\": \"mem_limit\"}}");
        Map<String, String> options =
                Options.with(
                        Options.required(emulator.feHttp(), "delivery", table),
                        "sink.semantic", "exactly-once",
                        "sink.label-prefix", table,
                        "sink.buffer-flush.max-bytes", "65536",
                        "sink.retry.interval-ms", "100");
        StreamExecutionEnvironment env = SequenceJobs.environment(2, 300, new Configuration());
        SequenceJobs.build(env, "faults-" + table, ROWS / 2, 100, SequenceJobs.none(), api, options);
        env.execute(table);
        for (JsonNode f : emulator.faults()) {
            if (f.get("rule").toString().contains(table)) {
                assertTrue("fault never fired: " + f, f.get("fired").asInt() >= 1);
            }
        }
        emulator.awaitPublished("delivery");
        try {
            SequenceJobs.assertExactlyOnce(emulator.rows("delivery", table), ROWS / 2);
        } catch (AssertionError e) {
            for (JsonNode l : emulator.labels("delivery")) {
                if (l.get("label").asText().startsWith(table)) {
                    System.out.println("[delivery] " + l);
                }
            }
            throw e;
        }
        assertNoOpenTransactions("delivery");
    }

    @Test
    public void exactlyOnceWithoutCheckpointingCommitsAtTheEndOfInput() throws Exception {
        String table = "eo_nockpt_" + api.name().toLowerCase();
        emulator.createTable("delivery", table, "DUPLICATE", Collections.singletonList("id"), SequenceJobs.STARROCKS_COLUMNS);
        Map<String, String> options =
                Options.with(
                        Options.required(emulator.feHttp(), "delivery", table),
                        "sink.semantic", "exactly-once",
                        "sink.label-prefix", table);
        StreamExecutionEnvironment env = SequenceJobs.environment(2, 0, new Configuration());
        SequenceJobs.build(env, "nockpt-" + table, 10_000, 0, SequenceJobs.none(), api, options);
        env.execute(table);
        SequenceJobs.assertExactlyOnce(emulator.rows("delivery", table), 10_000);
        assertNoOpenTransactions("delivery");
    }

    @Test
    public void atLeastOnceLosesNothingDespiteFailures() throws Exception {
        String table = "alo_" + api.name().toLowerCase();
        String key = "failures-" + table;
        emulator.createTable("delivery", table, "DUPLICATE", Collections.singletonList("id"), SequenceJobs.STARROCKS_COLUMNS);
        List<Long> failAt = randomFailurePoints(System.nanoTime(), 3, ROWS);
        Map<String, String> options = Options.required(emulator.feHttp(), "delivery", table);
        StreamExecutionEnvironment env = SequenceJobs.environment(2, 300, new Configuration());
        SequenceJobs.build(env, key, ROWS, 100, failAt, api, options);
        env.execute(table);
        assertEquals(3, SequenceJobs.failuresInjected(key));
        SequenceJobs.assertNothingMissing(emulator.rows("delivery", table), ROWS);
        assertNoOpenTransactions("delivery");
    }
}
