package com.starrocks.connector.flink.testing;

import java.util.function.Supplier;

/**
 * Waits for state outside the test's JVM thread (emulator tables, Flink processes), which gives no
 * event to wait on: polls a condition until it holds, and fails with what was awaited when a
 * deadline passes.
 */
public final class Await {
    private static final long POLL_MILLIS = 50;

    private Await() {}

    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls {@code condition} until it holds; an AssertionError naming {@code what} after the timeout. */
    public static void until(String what, long timeoutMillis, Condition condition) throws Exception {
        until(what, timeoutMillis, condition, () -> "");
    }

    /** As above; the timeout's message ends with {@code detail} (e.g. process logs). */
    public static void until(String what, long timeoutMillis, Condition condition, Supplier<String> detail)
            throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!condition.holds()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for " + what + detail.get());
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
