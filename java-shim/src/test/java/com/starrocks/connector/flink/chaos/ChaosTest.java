package com.starrocks.connector.flink.chaos;

import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.TestPaths;

import org.junit.Test;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import static org.junit.Assert.assertTrue;

/**
 * Chaos runs (see {@link ChaosScenario}): randomized, seeded jobs on a standalone cluster against
 * the emulator, with task failures, killed TaskManagers, savepoint rescales and StarRocks faults
 * at random times; each checked for its delivery guarantee and for ending in time.
 *
 * <p>Without properties it plays {@link #CI_SEEDS}. {@code tools/chaos.sh} sets
 * {@code starrocks.chaos.runs} and {@code starrocks.chaos.firstSeed} (a batch of consecutive
 * seeds) or {@code starrocks.chaos.seeds} (a list, to replay). Lines and the summary go to
 * stdout and to build/chaos/results.txt.
 */
public class ChaosTest {
    /**
     * The CI subset, about three minutes: both guarantees, both sink APIs, both formats,
     * parallelism 1-4, plain and transaction Stream Load, and every kind of fault; plus every seed
     * that ever failed, kept as a regression test (a seed replays its plan, not the timing that
     * made it fail, so each finding also has a deterministic test):
     * <ul>
     *   <li>10: an at-least-once transaction whose prepare got a 503 stayed PREPARE until
     *       StarRocks' timeout (fixed: a failed prepare or commit rolls its transaction back;
     *       transactions_against_emulator.rs, {@code *_whose_prepare_failed_is_rolled_back});
     *   <li>31: the same after a begin whose answer was lost (fixed likewise;
     *       {@code an_at_least_once_transaction_whose_begin_answer_was_lost_is_rolled_back}).
     * </ul>
     *
     * <p>Seed 37 (exactly-once, Sink V2, p4, stop-with-savepoint and restore at p2) is not in the
     * list: in one CI run its restored job looped in restarts on Flink 1.18's own
     * {@code UnsupportedOperationException: Currently it is not supported to update the
     * CommittableSummary for a checkpoint coming from the same subtask} (FLINK-25920) until the
     * hang bound. It passed in other runs; it stays a known open finding, replay it with
     * {@code tools/chaos.sh --seed 37}. Seed 9 (exactly-once, SinkFunction) takes its place.
     */
    static final long[] CI_SEEDS = {10, 31, 17, 36, 9, 54, 61};

    @Test
    public void chaosRunsKeepTheirDeliveryGuarantees() throws Exception {
        File base = new File(TestPaths.repo(), "build/chaos");
        if (!base.isDirectory() && !base.mkdirs()) {
            throw new IllegalStateException("cannot create " + base);
        }
        ChaosSummary summary = new ChaosSummary(new File(base, "results.txt"));
        try (EmulatorProcess emulator = EmulatorProcess.start();
                ChaosCluster cluster = ChaosCluster.start(new File(base, "cluster"))) {
            for (long seed : seeds()) {
                summary.add(new ChaosRun(ChaosScenario.plan(seed), emulator, cluster, base).run());
            }
        } finally {
            summary.print(summary.line());
        }
        assertTrue(summary.line(), summary.allOk());
    }

    private static List<Long> seeds() {
        List<Long> seeds = new ArrayList<>();
        String list = System.getProperty("starrocks.chaos.seeds", "");
        String runs = System.getProperty("starrocks.chaos.runs", "");
        if (!list.isEmpty()) {
            for (String s : list.split(",")) {
                seeds.add(Long.parseLong(s.trim()));
            }
        } else if (!runs.isEmpty()) {
            long first = Long.parseLong(System.getProperty("starrocks.chaos.firstSeed", "1"));
            for (long i = 0; i < Long.parseLong(runs); i++) {
                seeds.add(first + i);
            }
        } else {
            for (long seed : CI_SEEDS) {
                seeds.add(seed);
            }
        }
        return seeds;
    }
}
