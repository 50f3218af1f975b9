package com.starrocks.connector.flink.chaos;

import com.starrocks.connector.flink.testing.EmulatorProcess;

import org.junit.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/** Plans come from their seed alone, cover the whole matrix, and their emulator rules are valid. */
public class ChaosScenarioTest {
    private static final int SEEDS = 200;

    @Test
    public void aSeedAlwaysGivesTheSamePlan() {
        for (long seed = 1; seed <= SEEDS; seed++) {
            assertEquals(ChaosScenario.plan(seed).describe(), ChaosScenario.plan(seed).describe());
        }
    }

    @Test
    public void theFirstSeedsCoverEveryModeAndFault() {
        Set<String> seen = new HashSet<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            ChaosPlan plan = ChaosScenario.plan(seed);
            seen.add(plan.exactlyOnce ? "eo" : "alo");
            seen.add(plan.sinkV2 ? "v2" : "v1");
            seen.add(plan.format);
            seen.add("p" + plan.parallelism);
            seen.add(plan.sink.transactionStreamLoad ? "txn" : "plain");
            if (!plan.failAtIds.isEmpty()) {
                seen.add("task-fail");
            }
            for (ChaosEvent e : plan.events) {
                seen.add(e.describe().replaceAll("[( @].*", ""));
                assertTrue(e.describe(), e.atMillis() >= 1_000 && e.untilMillis() >= e.atMillis());
            }
        }
        for (String expected : new String[] {"eo", "alo", "v1", "v2", "csv", "json", "p1", "p2", "p3", "p4", "txn",
                "plain", "task-fail", "tm-kill", "savepoint->p1", "savepoint->p4", "be-restart", "label-exists",
                "http_error", "reset_mid_body", "lost_response", "no_response", "publish_timeout", "lose_context",
                "fail", "be_down", "fe_silent"}) {
            assertTrue(expected + " not in " + seen, seen.contains(expected));
        }
    }

    @Test
    public void theEmulatorAcceptsEveryRule() throws Exception {
        try (EmulatorProcess emulator = EmulatorProcess.start()) {
            for (long seed = 1; seed <= SEEDS; seed++) {
                for (ChaosEvent e : ChaosScenario.plan(seed).events) {
                    if (e instanceof FaultWindow) {
                        emulator.addFault(((FaultWindow) e).rule());
                    }
                }
            }
            emulator.clearFaults();
        }
    }
}
