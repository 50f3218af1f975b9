package com.starrocks.connector.flink.chaos;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The connector options a chaos run varies (timeouts, retries, buffer sizes), as SQL options, and
 * the worst time one request chain can take with them (part of the hang bound).
 */
final class SinkSettings {
    /** {@code sink.connect.timeout-ms}: the emulator is local, a connect never takes long. */
    static final long CONNECT_TIMEOUT_MS = 2_000;
    /** {@code sink.wait-for-continue.timeout-ms}: the smallest value the connector accepts. */
    static final long WAIT_FOR_CONTINUE_MS = 3_000;

    final boolean transactionStreamLoad;
    final long socketTimeoutMs;
    final int maxRetries;
    final long retryIntervalMs;
    final long flushMaxBytes;
    final long flushIntervalMs;

    SinkSettings(
            boolean transactionStreamLoad,
            long socketTimeoutMs,
            int maxRetries,
            long retryIntervalMs,
            long flushMaxBytes,
            long flushIntervalMs) {
        this.transactionStreamLoad = transactionStreamLoad;
        this.socketTimeoutMs = socketTimeoutMs;
        this.maxRetries = maxRetries;
        this.retryIntervalMs = retryIntervalMs;
        this.flushMaxBytes = flushMaxBytes;
        this.flushIntervalMs = flushIntervalMs;
    }

    /** The longest one request can take: connect, the wait for 100 Continue, then silence up to the socket timeout. */
    long requestMillis() {
        return CONNECT_TIMEOUT_MS + WAIT_FOR_CONTINUE_MS + socketTimeoutMs;
    }

    /** A request with all its retries and the pauses between them. */
    long retryChainMillis() {
        return (maxRetries + 1) * requestMillis() + maxRetries * retryIntervalMs;
    }

    Map<String, String> options() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sink.connect.timeout-ms", String.valueOf(CONNECT_TIMEOUT_MS));
        m.put("sink.wait-for-continue.timeout-ms", String.valueOf(WAIT_FOR_CONTINUE_MS));
        m.put("sink.socket.timeout-ms", String.valueOf(socketTimeoutMs));
        m.put("sink.max-retries", String.valueOf(maxRetries));
        m.put("sink.retry.interval-ms", String.valueOf(retryIntervalMs));
        m.put("sink.buffer-flush.max-bytes", String.valueOf(flushMaxBytes));
        m.put("sink.buffer-flush.interval-ms", String.valueOf(flushIntervalMs));
        m.put("sink.at-least-once.use-transaction-stream-load", String.valueOf(transactionStreamLoad));
        return m;
    }

    String describe() {
        return (transactionStreamLoad ? "txn" : "plain") + " socket=" + socketTimeoutMs / 1000 + "s retries="
                + maxRetries + "/" + retryIntervalMs + "ms buffer=" + flushMaxBytes / 1024 + "KiB/" + flushIntervalMs
                + "ms";
    }
}
