package com.starrocks.connector.flink.natives;

import java.nio.ByteBuffer;

/**
 * The native methods of the engine (implemented in {@code rust-core/src/jni/bridge.rs}). Use
 * {@link NativeSinkWriter} instead of calling these directly: it owns the handle.
 *
 * <p>Every method throws {@link StarRocksException} on failure, including native panics.
 */
public final class NativeBridge {
    static {
        NativeLibrary.ensureLoaded();
        initLogging(NativeLogger.maxLevel());
    }

    private NativeBridge() {}

    /** Loads the library (if needed) and returns the engine version. */
    public static String engineVersion() {
        return version();
    }

    static native String version();

    /** Routes native log events up to {@code maxLevel} (0 off .. 5 trace) to {@link NativeLogger}. */
    static native void initLogging(int maxLevel);

    /** Validates options as the engine reads them; returns warnings (e.g. clamped values). */
    public static native String[] validateOptions(String[] keys, String[] values);

    /**
     * Every option the engine knows, as quadruples: key, default (or null),
     * ENGINE|SHIM|NOT_YET|PARTIAL, note (or null).
     */
    public static native String[] optionSpecs();

    /**
     * Describes a table through {@code jdbc-url}: flat strings, the server version (or null)
     * first, then per column: name, ordinal, key, data type, column size, decimal digits.
     */
    public static native String[] describeTable(
            String[] keys, String[] values, String database, String table);

    /**
     * Runs one SQL statement through {@code jdbc-url} (DDL of the Flink CDC pipeline sink, queries
     * of its schema checks): flat strings, the column count of the result set (0 for a statement
     * without one) first, then the values row by row (null for NULL).
     */
    public static native String[] executeSql(String[] keys, String[] values, String sql);

    /**
     * Names of the counters and gauges at the start of {@link #metrics(long)}, in order; names
     * starting with {@code current} are gauges.
     */
    public static native String[] metricNames();

    /**
     * Names of the histograms that follow them in {@link #metrics(long)}, in order; each is its
     * sample count, the number k of samples kept, and those k samples, oldest first.
     */
    public static native String[] histogramNames();

    /** Live native writers in this class loader's library (for leak checks). */
    public static native int liveWriters();

    /** Panics inside the engine on purpose: verifies that a panic becomes an exception. */
    public static native void selfTestPanic(String message);

    /**
     * @param restoredCheckpointId -1 when nothing was restored
     * @param restoredLabelSpaces flat: prefix, database, table, subtask, next id
     */
    static native long createWriter(
            String[] keys,
            String[] values,
            int frameVersion,
            int subtask,
            int parallelism,
            long restoredCheckpointId,
            String[] restoredLabelSpaces,
            String fallbackLabelPrefix);

    /** Plain, TransactionAutoCommit or ExactlyOnce. */
    static native String loadMode(long handle);

    /** Exactly-once: prepares open transactions; flat: database, table, label. */
    static native String[] prepareCommit(long handle);

    /** Exactly-once label spaces; flat: prefix, database, table, subtask, next id. */
    static native String[] labelSpaces(long handle);

    static native long createCommitter(String[] keys, String[] values);

    /** Commits a prepared transaction; true if it had been committed before. */
    static native boolean commit(long handle, String database, String table, String label);

    static native void abort(long handle, String database, String table, String label);

    static native void closeCommitter(long handle);

    /** {@code registerTable} flag: a PRIMARY KEY table, rows carry {@code __op}. */
    static final int TABLE_UPSERT_DELETE = 1;

    /**
     * @param columns column names of typed rows, or null for raw records
     * @param headers flat key, value pairs of table properties that replace the sink's
     * @param keyFields positions of the key fields of a PRIMARY KEY table whose UPDATE_BEFORE rows
     *     are dropped when the UPDATE_AFTER of the same key follows (empty: they always delete)
     * @param columnModes how each column is loaded: {@link #COLUMN_VALUE}, {@link #COLUMN_JSON_TEXT}
     *     or {@link #COLUMN_HEX_BINARY} (null or empty: all by value)
     */
    static native int registerTable(
            long handle,
            String database,
            String table,
            String[] columns,
            String[] headers,
            int flags,
            int[] keyFields,
            int[] columnModes);

    /** Column mode: values are loaded as their type says. */
    public static final int COLUMN_VALUE = 0;
    /** Column mode: strings hold JSON text for a StarRocks JSON column. */
    public static final int COLUMN_JSON_TEXT = 1;
    /** Column mode: BINARY values for a StarRocks VARBINARY column (sent as hex, decoded there). */
    public static final int COLUMN_HEX_BINARY = 2;

    static native void write(long handle, ByteBuffer buffer, int length);

    static native void flush(long handle);

    static native void close(long handle);

    static native long[] metrics(long handle);
}
