package com.starrocks.connector.flink.chaos;

import com.starrocks.connector.flink.testing.EmulatorProcess;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What a fault acts on during one run: the emulator, the cluster, the run's job and its directory. */
final class RunContext {
    final ChaosPlan plan;
    final EmulatorProcess emulator;
    final ChaosCluster cluster;
    final ChaosJob job;
    /** Markers of the failing function, savepoints, diagnostics. */
    final File dir;
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());

    RunContext(ChaosPlan plan, EmulatorProcess emulator, ChaosCluster cluster, ChaosJob job, File dir) {
        this.plan = plan;
        this.emulator = emulator;
        this.cluster = cluster;
        this.job = job;
        this.dir = dir;
    }

    /** Something the run's line should mention (a fault that could not act, a rescale's new job). */
    void note(String what) {
        notes.add(what);
    }

    List<String> notes() {
        synchronized (notes) {
            return new ArrayList<>(notes);
        }
    }
}
