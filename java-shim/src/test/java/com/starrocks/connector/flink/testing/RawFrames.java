package com.starrocks.connector.flink.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds raw-record frames by hand (layout of rust-core/src/encode/frame.rs), JDK classes only. */
public final class RawFrames {
    private RawFrames() {}

    public static ByteBuffer of(int table, String... records) {
        int size = 0;
        for (String r : records) {
            size += 9 + r.getBytes(StandardCharsets.UTF_8).length;
        }
        ByteBuffer b = ByteBuffer.allocateDirect(Math.max(size, 1)).order(ByteOrder.LITTLE_ENDIAN);
        for (String r : records) {
            byte[] bytes = r.getBytes(StandardCharsets.UTF_8);
            b.put((byte) 0x10).putInt(table).putInt(bytes.length).put(bytes);
        }
        return b;
    }
}
