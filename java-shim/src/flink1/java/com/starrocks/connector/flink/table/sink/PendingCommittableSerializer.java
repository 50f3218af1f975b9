package com.starrocks.connector.flink.table.sink;

import com.starrocks.connector.flink.table.sink.v2.StarRocksCommittable;
import com.starrocks.connector.flink.table.sink.v2.StarRocksCommittableSerializer;

import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * SinkFunction state entries of prepared transactions. Version 1: checkpoint id (long), then the
 * committable as {@link StarRocksCommittableSerializer} version 1 writes it.
 */
final class PendingCommittableSerializer implements SimpleVersionedSerializer<PendingCommittable> {
    static final int VERSION = 1;
    private final StarRocksCommittableSerializer committables = new StarRocksCommittableSerializer();

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(PendingCommittable p) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(p.checkpointId);
            out.write(committables.serialize(p.committable));
        }
        return bytes.toByteArray();
    }

    @Override
    public PendingCommittable deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("unknown StarRocks pending committable version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            long checkpointId = in.readLong();
            byte[] rest = new byte[serialized.length - 8];
            in.readFully(rest);
            StarRocksCommittable c = committables.deserialize(1, rest);
            return new PendingCommittable(checkpointId, c);
        }
    }
}
