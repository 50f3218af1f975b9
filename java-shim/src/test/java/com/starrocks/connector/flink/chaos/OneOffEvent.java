package com.starrocks.connector.flink.chaos;

/** A fault that happens once, at {@link #atMillis()}: it has no window to end. */
abstract class OneOffEvent implements ChaosEvent {
    protected final long at;

    OneOffEvent(long at) {
        this.at = at;
    }

    @Override
    public final long atMillis() {
        return at;
    }

    @Override
    public final long untilMillis() {
        return at;
    }

    @Override
    public final void end(RunContext ctx) {}
}
