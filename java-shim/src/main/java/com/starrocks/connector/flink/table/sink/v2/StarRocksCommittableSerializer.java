package com.starrocks.connector.flink.table.sink.v2;

import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Committables in checkpoints. Version 1: database, table, label as modified UTF-8 strings
 * ({@link DataOutputStream#writeUTF}). Bytes written by version 1 must stay readable forever
 * ({@code tests/vectors/state-v1.json}).
 */
public final class StarRocksCommittableSerializer
        implements SimpleVersionedSerializer<StarRocksCommittable> {
    public static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(StarRocksCommittable c) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(c.getDatabase());
            out.writeUTF(c.getTable());
            out.writeUTF(c.getLabel());
        }
        return bytes.toByteArray();
    }

    @Override
    public StarRocksCommittable deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("unknown StarRocks committable version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return new StarRocksCommittable(in.readUTF(), in.readUTF(), in.readUTF());
        }
    }
}
