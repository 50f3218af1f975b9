package com.starrocks.connector.flink.table.sink.v2;

import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Writer state in checkpoints. Version 1: label prefix, database, table (modified UTF-8 strings),
 * subtask index (int), next id (long). Bytes written by version 1 must stay readable forever
 * ({@code tests/vectors/state-v1.json}).
 */
public final class StarRocksWriterStateSerializer
        implements SimpleVersionedSerializer<StarRocksWriterState> {
    public static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(StarRocksWriterState s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(s.getLabelPrefix());
            out.writeUTF(s.getDatabase());
            out.writeUTF(s.getTable());
            out.writeInt(s.getSubtaskIndex());
            out.writeLong(s.getNextId());
        }
        return bytes.toByteArray();
    }

    @Override
    public StarRocksWriterState deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1) {
            throw new IOException("unknown StarRocks writer state version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return new StarRocksWriterState(
                    in.readUTF(), in.readUTF(), in.readUTF(), in.readInt(), in.readLong());
        }
    }
}
