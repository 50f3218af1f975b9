package com.starrocks.connector.flink.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Seed to plan: everything a chaos run does comes from {@code new Random(seed)}, so
 * {@code tools/chaos.sh --seed S} replays the same plan (the timing of a run on a busy machine
 * still varies).
 */
final class ChaosScenario {
    /** Faults that are not emulator rules. */
    private enum FlinkFault {
        TASK_FAILURE,
        TM_KILL,
        SAVEPOINT,
        BE_RESTART,
        LABEL_EXISTS
    }

    static final int MAX_PARALLELISM = 4;

    private ChaosScenario() {}

    static ChaosPlan plan(long seed) {
        Random r = new Random(scramble(seed));
        boolean exactlyOnce = r.nextBoolean();
        boolean sinkV2 = r.nextBoolean();
        String format = r.nextBoolean() ? "json" : "csv";
        int parallelism = 1 + r.nextInt(MAX_PARALLELISM);
        int rate = 2_000 + 500 * r.nextInt(5);
        long rows = (long) rate * (8 + r.nextInt(9));
        long checkpointMillis = 500 + 250 * r.nextInt(7);
        boolean transactions = exactlyOnce || r.nextBoolean();
        SinkSettings sink = new SinkSettings(
                transactions,
                3_000 + 1_000L * r.nextInt(4),
                r.nextInt(3),
                100 + 100L * r.nextInt(10),
                (64 * 1024L) << r.nextInt(5),
                500 + 250L * r.nextInt(7));
        long nominal = rows * 1000 / rate;

        EmulatorFaults emulatorFaults = new EmulatorFaults(r, exactlyOnce, transactions, "c" + seed);
        List<Object> kinds = new ArrayList<>(Arrays.asList(FlinkFault.values()));
        if (!exactlyOnce) {
            kinds.remove(FlinkFault.LABEL_EXISTS);
        }
        kinds.addAll(emulatorFaults.kinds());

        List<Long> failAt = new ArrayList<>();
        List<Long> rescaleTimes = new ArrayList<>();
        List<ChaosEvent> events = new ArrayList<>();
        int faults = 1 + r.nextInt(4);
        for (int i = 0; i < faults; i++) {
            long at = 1_000 + (long) (r.nextDouble() * (nominal * 0.8 - 1_000));
            Object kind = kinds.get(r.nextInt(kinds.size()));
            if (kind == FlinkFault.TASK_FAILURE) {
                failAt.add(Math.max(1, at * rate / 1000));
            } else if (kind == FlinkFault.TM_KILL) {
                events.add(new TaskManagerKill(at));
            } else if (kind == FlinkFault.SAVEPOINT) {
                rescaleTimes.add(at);
            } else if (kind == FlinkFault.BE_RESTART) {
                events.add(new BackendRestart(at));
            } else if (kind == FlinkFault.LABEL_EXISTS) {
                events.add(new LabelSquat(at, r.nextInt(parallelism), 1 + r.nextInt(3)));
            } else {
                events.add(emulatorFaults.window((EmulatorFaults.Kind) kind, at));
            }
        }
        // Each rescale changes the parallelism the previous one left.
        Collections.sort(rescaleTimes);
        int current = parallelism;
        for (long at : rescaleTimes) {
            int next = 1 + r.nextInt(MAX_PARALLELISM - 1);
            current = next >= current ? next + 1 : next;
            events.add(new StopAndRescale(at, current));
        }
        Collections.sort(failAt);
        return new ChaosPlan(seed, exactlyOnce, sinkV2, format, parallelism, rows, rate, checkpointMillis, sink,
                failAt, events);
    }

    /**
     * SplitMix64's finalizer: java.util.Random's first outputs for neighbouring seeds are nearly
     * the same (seeds 1 to 40 all began with the same boolean), so consecutive seeds are spread first.
     */
    private static long scramble(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
