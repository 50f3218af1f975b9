package com.starrocks.connector.flink.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one chaos run does, derived from its seed alone ({@link ChaosScenario}): the job (delivery
 * guarantee, sink API, format, parallelism, rows and their rate, checkpoint interval), the
 * connector's settings, the ids at which a task fails and the timed faults.
 */
final class ChaosPlan {
    final long seed;
    final boolean exactlyOnce;
    final boolean sinkV2;
    final String format;
    final int parallelism;
    final long rows;
    final int rowsPerSecond;
    final long checkpointMillis;
    final SinkSettings sink;
    /** A task fails once when it maps one of these ids. */
    final List<Long> failAtIds;
    /** Sorted by time. */
    final List<ChaosEvent> events;

    ChaosPlan(
            long seed,
            boolean exactlyOnce,
            boolean sinkV2,
            String format,
            int parallelism,
            long rows,
            int rowsPerSecond,
            long checkpointMillis,
            SinkSettings sink,
            List<Long> failAtIds,
            List<ChaosEvent> events) {
        this.seed = seed;
        this.exactlyOnce = exactlyOnce;
        this.sinkV2 = sinkV2;
        this.format = format;
        this.parallelism = parallelism;
        this.rows = rows;
        this.rowsPerSecond = rowsPerSecond;
        this.checkpointMillis = checkpointMillis;
        this.sink = sink;
        this.failAtIds = Collections.unmodifiableList(new ArrayList<>(failAtIds));
        List<ChaosEvent> sorted = new ArrayList<>(events);
        sorted.sort((a, b) -> Long.compare(a.atMillis(), b.atMillis()));
        this.events = Collections.unmodifiableList(sorted);
    }

    /** How long the job takes without faults: its rows at the source's rate. */
    long nominalMillis() {
        return rows * 1000 / rowsPerSecond;
    }

    /** The run's StarRocks database: one per seed, so labels of other runs never mix in. */
    String database() {
        return "chaos_" + seed;
    }

    String table() {
        return "t" + seed;
    }

    String labelPrefix() {
        return "c" + seed;
    }

    /** {@code seed=17 eo v2 json p3 rows=50000@4000/s ckpt=800ms txn socket=5s ... faults=[...]}. */
    String describe() {
        List<String> faults = new ArrayList<>();
        for (long id : failAtIds) {
            faults.add("task-fail@row" + id + "(~" + ChaosEvent.seconds(id * 1000 / rowsPerSecond) + ")");
        }
        for (ChaosEvent e : events) {
            faults.add(e.describe());
        }
        return "seed=" + seed + " " + (exactlyOnce ? "eo" : "alo") + " " + (sinkV2 ? "v2" : "v1") + " " + format
                + " p" + parallelism + " rows=" + rows + "@" + rowsPerSecond + "/s ckpt=" + checkpointMillis + "ms "
                + sink.describe() + " faults=" + faults;
    }
}
