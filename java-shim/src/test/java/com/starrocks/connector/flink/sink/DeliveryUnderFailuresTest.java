package com.starrocks.connector.flink.sink;

import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.Options;
import com.starrocks.connector.flink.testing.SequenceJobs;
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
    private static final long ROWS = 200_000;
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
                        "sink.label-prefix", table);
        StreamExecutionEnvironment env = SequenceJobs.environment(2, 300, new Configuration());
        SequenceJobs.build(env, key, ROWS, 100, failAt, api, options);
        env.execute(table);
        assertEquals(4, SequenceJobs.failuresInjected(key));
        SequenceJobs.assertExactlyOnce(emulator.rows("delivery", table), ROWS);
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
