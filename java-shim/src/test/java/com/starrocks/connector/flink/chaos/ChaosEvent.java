package com.starrocks.connector.flink.chaos;

/**
 * One fault of a chaos plan, at a time relative to the first submission of the run's job. A fault
 * with a window (an emulator rule) is started at {@link #atMillis()} and ended at
 * {@link #untilMillis()}; a one-off fault only starts.
 */
interface ChaosEvent {
    long atMillis();

    /** When the fault's window ends; {@link #atMillis()} for a one-off fault. */
    long untilMillis();

    /** As printed in a run's line, e.g. {@code tm-kill@4.1s}. */
    String describe();

    void start(RunContext ctx) throws Exception;

    /** Ends the fault's window (nothing for a one-off fault); also called when the job ended early. */
    void end(RunContext ctx) throws Exception;

    /** How much longer the run may take because of this fault: its share of the hang bound. */
    long allowanceMillis(HangBound bound);

    /** "4.1s": a time of the plan. */
    static String seconds(long millis) {
        return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
    }
}
