package com.starrocks.connector.flink.natives;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Owns one native writer. {@link #close()} is idempotent; any other call after close throws
 * {@link StarRocksException} of kind {@code CLOSED}.
 */
public final class NativeSinkWriter implements AutoCloseable {
    private final Object lock = new Object();
    private volatile long handle;

    private NativeSinkWriter(long handle) {
        this.handle = handle;
    }

    /**
     * Creates a writer from the user's options (raw keys and values, {@code sink.properties.*}
     * included).
     *
     * @param frameVersion the row-frame layout the caller writes
     */
    public static NativeSinkWriter create(Map<String, String> options, int frameVersion) {
        return create(options, frameVersion, WriterContext.standalone());
    }

    /**
     * Creates a writer for a Flink subtask. With exactly-once this also aborts the transactions
     * that a crashed attempt left behind (bounded; may take a while).
     */
    public static NativeSinkWriter create(
            Map<String, String> options, int frameVersion, WriterContext context) {
        String[][] kv = OptionArrays.of(options);
        return new NativeSinkWriter(
                NativeBridge.createWriter(
                        kv[0],
                        kv[1],
                        frameVersion,
                        context.subtask(),
                        context.parallelism(),
                        context.restoredCheckpointId(),
                        context.restoredLabelSpaces(),
                        context.fallbackLabelPrefix()));
    }

    private long live() {
        long h = handle;
        if (h == 0) {
            throw new StarRocksException(
                    StarRocksException.Kind.CLOSED, "the StarRocks writer is closed");
        }
        return h;
    }

    /**
     * Registers a target table and returns its id for row frames.
     *
     * @param columns column names of typed rows in field order, or null for raw records
     * @param properties Stream Load properties of this table that replace the sink's
     * @param primaryKey a PRIMARY KEY table: typed rows carry {@code __op} from their row kind
     * @param keyFields positions of its key fields, so that an UPDATE_BEFORE right before the
     *     UPDATE_AFTER of the same key is dropped; empty: every UPDATE_BEFORE deletes
     */
    public int registerTable(
            String database,
            String table,
            String[] columns,
            Map<String, String> properties,
            boolean primaryKey,
            int[] keyFields,
            int[] columnModes) {
        String[] flat = new String[properties.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> e : properties.entrySet()) {
            flat[i++] = e.getKey();
            flat[i++] = e.getValue();
        }
        int flags = primaryKey ? NativeBridge.TABLE_UPSERT_DELETE : 0;
        return NativeBridge.registerTable(live(), database, table, columns, flat, flags, keyFields, columnModes);
    }

    /** Hands {@code length} bytes of row frames (from position 0 of a direct buffer) over. */
    public void write(ByteBuffer frames, int length) {
        if (!frames.isDirect()) {
            throw new IllegalArgumentException("row frames must be in a direct ByteBuffer");
        }
        NativeBridge.write(live(), frames, length);
    }

    /** Loads everything written so far; returns when StarRocks has it. */
    public void flush() {
        NativeBridge.flush(live());
    }

    /** How this writer loads: Plain, TransactionAutoCommit or ExactlyOnce. */
    public String loadMode() {
        return NativeBridge.loadMode(live());
    }

    /**
     * Exactly-once: prepares every open transaction (after {@link #flush()}); returns them flat
     * (database, table, label); empty in the other modes.
     */
    public String[] prepareCommit() {
        return NativeBridge.prepareCommit(live());
    }

    /** Exactly-once label spaces, flat: prefix, database, table, subtask, next id. */
    public String[] labelSpaces() {
        return NativeBridge.labelSpaces(live());
    }

    /**
     * The writer's metrics, named by {@link NativeBridge#metricNames()} and {@link
     * NativeBridge#histogramNames()}.
     */
    public long[] metrics() {
        return NativeBridge.metrics(live());
    }

    public boolean isClosed() {
        return handle == 0;
    }

    @Override
    public void close() {
        long h;
        synchronized (lock) {
            h = handle;
            handle = 0;
        }
        if (h != 0) {
            NativeBridge.close(h);
        }
    }
}
