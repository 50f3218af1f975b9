package com.starrocks.connector.flink.table.sink;

import com.starrocks.connector.flink.table.sink.v2.StarRocksCommittable;
import com.starrocks.connector.flink.table.sink.v2.StarRocksCommittableSerializer;
import com.starrocks.connector.flink.table.sink.v2.StarRocksWriterState;
import com.starrocks.connector.flink.table.sink.v2.StarRocksWriterStateSerializer;
import com.starrocks.connector.flink.testing.TestPaths;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.Test;

import java.io.File;
import java.io.IOException;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

/** Checkpoint state: version 1 bytes are written exactly as recorded and stay readable forever. */
public class StateSerializersTest {
    private static JsonNode vectors() throws IOException {
        return new ObjectMapper().readTree(new File(TestPaths.repo(), "tests/vectors/state-v1.json"));
    }

    private static byte[] unhex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    @Test
    public void committablesOfVersion1StayReadable() throws Exception {
        JsonNode v = vectors().get("committable_v1");
        StarRocksCommittable c = new StarRocksCommittable(v.get("database").asText(), v.get("table").asText(), v.get("label").asText());
        StarRocksCommittableSerializer s = new StarRocksCommittableSerializer();
        assertEquals(1, s.getVersion());
        assertArrayEquals(unhex(v.get("hex").asText()), s.serialize(c));
        assertEquals(c, s.deserialize(1, unhex(v.get("hex").asText())));
    }

    @Test
    public void writerStatesOfVersion1StayReadable() throws Exception {
        JsonNode v = vectors().get("writer_state_v1");
        StarRocksWriterState w = new StarRocksWriterState(v.get("label_prefix").asText(), v.get("database").asText(), v.get("table").asText(), v.get("subtask").asInt(), v.get("next_id").asLong());
        StarRocksWriterStateSerializer s = new StarRocksWriterStateSerializer();
        assertEquals(1, s.getVersion());
        assertArrayEquals(unhex(v.get("hex").asText()), s.serialize(w));
        assertEquals(w, s.deserialize(1, unhex(v.get("hex").asText())));
    }

    @Test
    public void pendingCommittablesOfVersion1StayReadable() throws Exception {
        JsonNode v = vectors().get("pending_committable_v1");
        PendingCommittableSerializer s = new PendingCommittableSerializer();
        PendingCommittable p = s.deserialize(1, unhex(v.get("hex").asText()));
        assertEquals(v.get("checkpoint_id").asLong(), p.checkpointId);
        assertEquals(new StarRocksCommittable("db", "orders", "app-orders-0-7"), p.committable);
        assertArrayEquals(unhex(v.get("hex").asText()), s.serialize(p));
    }

    @Test
    public void unknownVersionsAreRefused() {
        try {
            new StarRocksCommittableSerializer().deserialize(2, new byte[0]);
            fail();
        } catch (IOException e) {
            assertEquals("unknown StarRocks committable version 2", e.getMessage());
        }
    }
}
