package com.starrocks.connector.flink.sink;

import com.starrocks.connector.flink.natives.NativeSinkWriter;
import com.starrocks.connector.flink.row.RowFrameWriter;

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

    private final NativeSinkWriter engine;
    private final RowFrameWriter frames;

    public EngineWriter(Map<String, String> options) {
        EngineOptions.validate(options);
        this.engine = NativeSinkWriter.create(options, RowFrameWriter.FRAME_VERSION);
        this.frames =
                new RowFrameWriter(FRAME_BUFFER_BYTES, MAX_FRAME_BUFFER_BYTES, engine::write);
    }

    /** Registers a table that takes typed rows with these columns; returns its id. */
    public int registerTypedTable(String database, String table, String[] columns) {
        return engine.registerTable(database, table, columns);
    }

    /** Registers a table that takes raw (already serialized) records; returns its id. */
    public int registerRawTable(String database, String table) {
        return engine.registerTable(database, table, null);
    }

    public <T> void writeRow(
            int table, byte rowKind, int fieldCount, RowFrameWriter.FieldsWriter<T> fields, T record) {
        frames.writeRow(rowKind, table, fieldCount, fields, record);
    }

    public void writeRaw(int table, byte[] record) {
        frames.writeRaw(table, record);
    }

    /** Loads everything written so far; returns once StarRocks has it. */
    public void flush() {
        frames.flush();
        engine.flush();
    }

    /** Engine counters. */
    public long[] metrics() {
        return engine.metrics();
    }

    @Override
    public void close() {
        engine.close();
    }
}
