package com.starrocks.connector.flink.sink;

import org.apache.flink.api.common.operators.ProcessingTimeService;

/**
 * Hands buffered row frames to the engine at least every {@link #PERIOD_MS} ms, on the task
 * thread (a Flink processing-time timer), so that rows of a slow or paused stream reach the
 * engine's flush interval instead of waiting in the Java buffer for the next checkpoint; and
 * reports the engine's metrics to Flink at the same pace.
 */
public final class HandOffTimer {
    public static final long PERIOD_MS = 100;

    private final ProcessingTimeService time;
    private final EngineWriter engine;
    private volatile boolean stopped;

    private HandOffTimer(ProcessingTimeService time, EngineWriter engine) {
        this.time = time;
        this.engine = engine;
    }

    public static HandOffTimer start(ProcessingTimeService time, EngineWriter engine) {
        HandOffTimer t = new HandOffTimer(time, engine);
        t.schedule();
        return t;
    }

    private void schedule() {
        time.registerTimer(time.getCurrentProcessingTime() + PERIOD_MS, ts -> fire());
    }

    private void fire() {
        if (stopped) {
            return;
        }
        engine.handOff();
        engine.reportMetrics();
        schedule();
    }

    public void stop() {
        stopped = true;
    }
}
