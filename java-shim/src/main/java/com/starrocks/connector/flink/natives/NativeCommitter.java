package com.starrocks.connector.flink.natives;

import java.util.Map;

/**
 * Owns one native transaction committer. Commits are idempotent by label, retried when the
 * failure is transient, and fail loudly when the transaction cannot be committed any more.
 * {@link #close()} is idempotent; other calls after it throw {@code CLOSED}.
 */
public final class NativeCommitter implements AutoCloseable {
    private final Object lock = new Object();
    private volatile long handle;

    private NativeCommitter(long handle) {
        this.handle = handle;
    }

    public static NativeCommitter create(Map<String, String> options) {
        String[][] kv = OptionArrays.of(options);
        return new NativeCommitter(NativeBridge.createCommitter(kv[0], kv[1]));
    }

    private long live() {
        long h = handle;
        if (h == 0) {
            throw new StarRocksException(
                    StarRocksException.Kind.CLOSED, "the StarRocks committer is closed");
        }
        return h;
    }

    /** Commits; returns true if the transaction had been committed already. */
    public boolean commit(String database, String table, String label) {
        return NativeBridge.commit(live(), database, table, label);
    }

    /** Rolls a PREPARE/PREPARED transaction back. */
    public void abort(String database, String table, String label) {
        NativeBridge.abort(live(), database, table, label);
    }

    @Override
    public void close() {
        long h;
        synchronized (lock) {
            h = handle;
            handle = 0;
        }
        if (h != 0) {
            NativeBridge.closeCommitter(h);
        }
    }
}
