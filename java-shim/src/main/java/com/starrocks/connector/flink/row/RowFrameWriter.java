package com.starrocks.connector.flink.row;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes rows as row frames into a reusable direct buffer and hands full buffers to a consumer
 * (the native engine): one native call per buffer, never one per row.
 *
 * <p>This class mirrors the layout defined in {@code rust-core/src/encode/frame.rs} (version
 * {@link #FRAME_VERSION}); both are tested with {@code tests/vectors/row-frames.json}. It knows
 * nothing about Flink types: {@link RowDataFrames} maps Flink values onto the {@code put*}
 * methods.
 */
public final class RowFrameWriter {
    public static final int FRAME_VERSION = 1;

    static final byte KIND_RAW = 0x10;
    static final byte T_NULL = 0x00;
    static final byte T_BOOLEAN = 0x01;
    static final byte T_TINYINT = 0x02;
    static final byte T_SMALLINT = 0x03;
    static final byte T_INT = 0x04;
    static final byte T_BIGINT = 0x05;
    static final byte T_FLOAT = 0x06;
    static final byte T_DOUBLE = 0x07;
    static final byte T_DECIMAL64 = 0x08;
    static final byte T_DECIMAL_BIG = 0x09;
    static final byte T_STRING = 0x0A;
    static final byte T_DATE = 0x0B;
    static final byte T_TIMESTAMP = 0x0C;
    static final byte T_TIME = 0x0D;
    static final byte T_BINARY = 0x0E;
    static final byte T_ARRAY = 0x0F;
    static final byte T_MAP = 0x10;
    static final byte T_ROW = 0x11;

    /** Receives full buffers: {@code length} bytes of frames starting at position 0. */
    public interface BufferConsumer {
        void accept(ByteBuffer frames, int length);
    }

    /** Writes the fields of one record. */
    public interface FieldsWriter<T> {
        void writeFields(RowFrameWriter out, T record);
    }

    private final BufferConsumer consumer;
    private final int maxCapacity;
    private ByteBuffer buffer;

    /**
     * @param initialCapacity bytes of the direct buffer
     * @param maxCapacity the largest the buffer may grow to hold one big row
     */
    public RowFrameWriter(int initialCapacity, int maxCapacity, BufferConsumer consumer) {
        this.consumer = consumer;
        this.maxCapacity = maxCapacity;
        this.buffer = allocate(initialCapacity);
    }

    private static ByteBuffer allocate(int capacity) {
        return ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Bytes waiting in the buffer. */
    public int pending() {
        return buffer.position();
    }

    /** Hands the buffered frames to the consumer now. */
    public void flush() {
        int length = buffer.position();
        if (length > 0) {
            consumer.accept(buffer, length);
            buffer.clear();
        }
    }

    /**
     * Writes one typed row.
     *
     * @param kind Flink's RowKind byte value (0 +I, 1 -U, 2 +U, 3 -D)
     */
    public <T> void writeRow(byte kind, int table, int fieldCount, FieldsWriter<T> fields, T record) {
        while (true) {
            int start = buffer.position();
            try {
                buffer.put(kind).putInt(table).putShort((short) fieldCount);
                fields.writeFields(this, record);
                return;
            } catch (BufferOverflowException e) {
                makeRoom(start);
            } catch (RuntimeException e) {
                // A value that cannot be written: drop the partial frame, keep the ones before it.
                buffer.position(start);
                throw e;
            }
        }
    }

    /** Writes one record the user serialized already (a CSV line or a JSON value). */
    public void writeRaw(int table, byte[] record) {
        while (true) {
            int start = buffer.position();
            try {
                buffer.put(KIND_RAW).putInt(table).putInt(record.length).put(record);
                return;
            } catch (BufferOverflowException e) {
                makeRoom(start);
            }
        }
    }

    /** A frame starting at {@code start} did not fit: send what is before it, or grow. */
    private void makeRoom(int start) {
        buffer.position(start);
        if (start > 0) {
            flush();
            return;
        }
        int capacity = buffer.capacity();
        if (capacity >= maxCapacity) {
            throw new IllegalArgumentException(
                    "a single row needs more than " + maxCapacity + " bytes as a row frame");
        }
        buffer = allocate((int) Math.min((long) capacity * 2, maxCapacity));
    }

    public void putNull() {
        buffer.put(T_NULL);
    }

    public void putBoolean(boolean v) {
        buffer.put(T_BOOLEAN).put((byte) (v ? 1 : 0));
    }

    public void putTinyInt(byte v) {
        buffer.put(T_TINYINT).put(v);
    }

    public void putSmallInt(short v) {
        buffer.put(T_SMALLINT).putShort(v);
    }

    public void putInt(int v) {
        buffer.put(T_INT).putInt(v);
    }

    public void putBigInt(long v) {
        buffer.put(T_BIGINT).putLong(v);
    }

    public void putFloat(float v) {
        buffer.put(T_FLOAT).putFloat(v);
    }

    public void putDouble(double v) {
        buffer.put(T_DOUBLE).putDouble(v);
    }

    /** A decimal of precision up to 18 as its unscaled long. */
    public void putDecimal(long unscaled, int scale) {
        buffer.put(T_DECIMAL64).put((byte) scale).putLong(unscaled);
    }

    /** A decimal as the big-endian two's complement bytes of its unscaled value. */
    public void putDecimal(byte[] unscaledBigEndian, int scale) {
        if (unscaledBigEndian.length == 0 || unscaledBigEndian.length > 17) {
            throw new IllegalArgumentException(
                    "DECIMAL unscaled value of " + unscaledBigEndian.length + " bytes");
        }
        buffer.put(T_DECIMAL_BIG)
                .put((byte) scale)
                .put((byte) unscaledBigEndian.length)
                .put(unscaledBigEndian);
    }

    public void putString(byte[] utf8) {
        buffer.put(T_STRING).putInt(utf8.length).put(utf8);
    }

    /** Days since 1970-01-01. */
    public void putDate(int days) {
        buffer.put(T_DATE).putInt(days);
    }

    public void putTimestamp(int precision, long epochMillis, int nanoOfMilli) {
        buffer.put(T_TIMESTAMP).put((byte) precision).putLong(epochMillis).putInt(nanoOfMilli);
    }

    /** A time of day in milliseconds (how Flink holds TIME values). */
    public void putTime(int precision, int millisOfDay) {
        buffer.put(T_TIME).put((byte) precision).putInt(millisOfDay);
    }

    public void putBinary(byte[] bytes) {
        buffer.put(T_BINARY).putInt(bytes.length).put(bytes);
    }

    /** Starts an ARRAY value: {@code count} fields follow. */
    public void putArrayHeader(int count) {
        buffer.put(T_ARRAY).putInt(count);
    }

    /** Starts a MAP value: {@code count} key and value field pairs follow. */
    public void putMapHeader(int count) {
        buffer.put(T_MAP).putInt(count);
    }

    /** Starts a ROW value: {@code count} times {@link #putFieldName} and a field follow. */
    public void putRowHeader(int count) {
        if (count > 0xFFFF) {
            throw new IllegalArgumentException("a ROW value of " + count + " fields");
        }
        buffer.put(T_ROW).putShort((short) count);
    }

    /** The name of the next field of a ROW value, as UTF-8 bytes. */
    public void putFieldName(byte[] utf8) {
        if (utf8.length > 0xFFFF) {
            throw new IllegalArgumentException("a ROW field name of " + utf8.length + " bytes");
        }
        buffer.putShort((short) utf8.length).put(utf8);
    }
}
