package com.starrocks.connector.flink.sink;

import com.starrocks.connector.flink.natives.NativeSinkWriter;
import com.starrocks.connector.flink.natives.WriterContext;
import com.starrocks.connector.flink.row.RowFrameWriter;
import com.starrocks.connector.flink.table.sink.v2.StarRocksCommittable;
import com.starrocks.connector.flink.table.sink.v2.StarRocksWriterState;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The Java half of one writer, shared by every Flink sink API: frames records into a direct buffer
 * and hands full buffers to the native engine, which encodes, buffers and loads them.
 * Not thread-safe, like a Flink writer; {@link #close()} is idempotent.
 */
public final class EngineWriter implements AutoCloseable {
    /** Size of the direct buffer that carries row frames to the engine. */
    public static final int FRAME_BUFFER_BYTES = 1 << 20;

    private static final int MAX_FRAME_BUFFER_BYTES = 1 << 30;
    private static final String EXACTLY_ONCE = "ExactlyOnce";

    /** Buffered frames go to the engine at least this often while records keep coming. */
    private static final long HANDOFF_NANOS = 50_000_000L;
    private static final int ROWS_BETWEEN_CLOCK_CHECKS = 256;

    private final NativeSinkWriter engine;
    private final RowFrameWriter frames;
    private final boolean exactlyOnce;
    private final SinkMetrics metrics;
    private long lastHandOff = System.nanoTime();
    private int rowsSinceClockCheck;

    /**
     * A writer for one Flink subtask; with exactly-once, also cleans up after a crash.
     *
     * @param metrics where {@link #reportMetrics()} and every flush report the engine's metrics
     */
    public EngineWriter(Map<String, String> options, WriterContext context, SinkMetrics metrics) {
        EngineOptions.validate(options);
        this.engine = NativeSinkWriter.create(options, RowFrameWriter.FRAME_VERSION, context);
        this.frames =
                new RowFrameWriter(FRAME_BUFFER_BYTES, MAX_FRAME_BUFFER_BYTES, engine::write);
        this.exactlyOnce = EXACTLY_ONCE.equals(engine.loadMode());
        this.metrics = metrics;
    }

    /**
     * Registers a table that takes typed rows with these columns; returns its id.
     *
     * @param properties Stream Load properties of this table that replace the sink's
     * @param primaryKey a PRIMARY KEY table: rows carry {@code __op} from their row kind
     * @param keyFields positions of its key fields: an UPDATE_BEFORE right before the
     *     UPDATE_AFTER of the same key is then dropped; empty: every UPDATE_BEFORE deletes
     * @param columnModes how each column is loaded ({@code NativeBridge.COLUMN_*}); null: by value
     */
    public int registerTypedTable(
            String database,
            String table,
            String[] columns,
            Map<String, String> properties,
            boolean primaryKey,
            int[] keyFields,
            int[] columnModes) {
        return engine.registerTable(database, table, columns, properties, primaryKey, keyFields, columnModes);
    }

    /**
     * As above, without key fields (every UPDATE_BEFORE of a PRIMARY KEY table deletes), all
     * columns loaded by value.
     */
    public int registerTypedTable(
            String database, String table, String[] columns, Map<String, String> properties, boolean primaryKey) {
        return registerTypedTable(database, table, columns, properties, primaryKey, new int[0], null);
    }

    /** Registers a table that takes raw (already serialized) records; returns its id. */
    public int registerRawTable(String database, String table, Map<String, String> properties) {
        return engine.registerTable(database, table, null, properties, false, new int[0], null);
    }

    public <T> void writeRow(
            int table, byte rowKind, int fieldCount, RowFrameWriter.FieldsWriter<T> fields, T record) {
        frames.writeRow(rowKind, table, fieldCount, fields, record);
        afterRecord();
    }

    public void writeRaw(int table, byte[] record) {
        frames.writeRaw(table, record);
        afterRecord();
    }

    private void afterRecord() {
        if (++rowsSinceClockCheck >= ROWS_BETWEEN_CLOCK_CHECKS) {
            rowsSinceClockCheck = 0;
            if (System.nanoTime() - lastHandOff >= HANDOFF_NANOS) {
                handOff();
            }
        }
    }

    /** Hands the buffered frames to the engine now (without waiting for loads). */
    public void handOff() {
        frames.flush();
        lastHandOff = System.nanoTime();
    }

    /**
     * Loads everything written so far; returns once StarRocks has it (at-least-once with
     * transactions: committed; exactly-once: in the open transactions).
     */
    public void flush() {
        handOff();
        engine.flush();
        reportMetrics();
    }

    public boolean isExactlyOnce() {
        return exactlyOnce;
    }

    /** Exactly-once: prepares the open transactions (after {@link #flush()}). */
    public List<StarRocksCommittable> prepareCommit() {
        String[] flat = engine.prepareCommit();
        List<StarRocksCommittable> out = new ArrayList<>(flat.length / 3);
        for (int i = 0; i + 2 < flat.length; i += 3) {
            out.add(new StarRocksCommittable(flat[i], flat[i + 1], flat[i + 2]));
        }
        return out;
    }

    /** Exactly-once: the label spaces to keep in Flink state. */
    public List<StarRocksWriterState> labelSpaces() {
        String[] flat = engine.labelSpaces();
        List<StarRocksWriterState> out = new ArrayList<>(flat.length / 5);
        for (int i = 0; i + 4 < flat.length; i += 5) {
            out.add(
                    new StarRocksWriterState(
                            flat[i],
                            flat[i + 1],
                            flat[i + 2],
                            Integer.parseInt(flat[i + 3]),
                            Long.parseLong(flat[i + 4])));
        }
        return out;
    }

    /** Writer states in the flat form of {@link WriterContext}. */
    public static String[] flatten(Collection<StarRocksWriterState> states) {
        String[] flat = new String[states.size() * 5];
        int i = 0;
        for (StarRocksWriterState s : states) {
            flat[i++] = s.getLabelPrefix();
            flat[i++] = s.getDatabase();
            flat[i++] = s.getTable();
            flat[i++] = String.valueOf(s.getSubtaskIndex());
            flat[i++] = String.valueOf(s.getNextId());
        }
        return flat;
    }

    /** Reads the engine's metrics into the Flink metrics. */
    public void reportMetrics() {
        metrics.update(engine.metrics());
    }

    @Override
    public void close() {
        try {
            if (!engine.isClosed()) {
                reportMetrics();
            }
        } finally {
            engine.close();
        }
    }
}
