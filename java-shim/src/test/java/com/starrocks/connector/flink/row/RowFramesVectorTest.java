package com.starrocks.connector.flink.row;

import com.starrocks.connector.flink.testing.TestPaths;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.utils.LogicalTypeParser;
import org.junit.Test;

import java.io.File;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/** The Java frame writer must produce exactly the bytes of the shared vectors. */
public class RowFramesVectorTest {

    @Test
    public void javaRowsProduceTheSharedVectorFrames() throws Exception {
        JsonNode doc =
                new ObjectMapper()
                        .readTree(new File(TestPaths.repo(), "tests/vectors/row-frames.json"));
        assertEquals(RowFrameWriter.FRAME_VERSION, doc.get("frame_version").asInt());
        int checked = 0;
        for (JsonNode v : doc.get("vectors")) {
            String name = v.get("name").asText();
            List<LogicalType> types = new ArrayList<>();
            for (JsonNode c : v.get("columns")) {
                types.add(LogicalTypeParser.parse(c.get(1).asText(), getClass().getClassLoader()));
            }
            GenericRowData row = new GenericRowData(types.size());
            JsonNode values = v.get("values");
            for (int i = 0; i < types.size(); i++) {
                row.setField(i, values.get(i).isNull() ? null : value(types.get(i), values.get(i).asText()));
            }
            final byte[][] captured = new byte[1][];
            RowFrameWriter w =
                    new RowFrameWriter(
                            64,
                            1 << 20,
                            (ByteBuffer buf, int len) -> {
                                captured[0] = bytesOf(buf, len);
                            });
            RowDataFrames fields = new RowDataFrames(types);
            w.writeRow((byte) 0, v.get("table").asInt(), types.size(), fields, row);
            w.flush();
            assertEquals(name, v.get("frame_hex").asText(), hex(captured[0]));
            checked++;
        }
        assertTrue(checked >= 6);
    }

    @Test
    public void aRowLargerThanTheBufferGrowsIt() {
        List<byte[]> out = new ArrayList<>();
        RowFrameWriter w =
                new RowFrameWriter(
                        16,
                        1 << 20,
                        (buf, len) -> {
                            out.add(bytesOf(buf, len));
                        });
        w.writeRaw(0, new byte[] {1, 2, 3});
        w.writeRaw(0, new byte[100]);
        w.flush();
        assertEquals(2, out.size());
        assertEquals(5 + 4 + 3, out.get(0).length);
        assertEquals(5 + 4 + 100, out.get(1).length);
    }

    private static Object value(LogicalType type, String text) {
        switch (type.getTypeRoot()) {
            case BOOLEAN:
                return Boolean.parseBoolean(text);
            case TINYINT:
                return Byte.parseByte(text);
            case SMALLINT:
                return Short.parseShort(text);
            case INTEGER:
                return Integer.parseInt(text);
            case BIGINT:
                return Long.parseLong(text);
            case FLOAT:
                return Float.parseFloat(text);
            case DOUBLE:
                return Double.parseDouble(text);
            case DECIMAL:
                DecimalType d = (DecimalType) type;
                return DecimalData.fromBigDecimal(new BigDecimal(text), d.getPrecision(), d.getScale());
            case CHAR:
            case VARCHAR:
                return StringData.fromString(text);
            case DATE:
                return (int) LocalDate.parse(text).toEpochDay();
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return TimestampData.fromLocalDateTime(LocalDateTime.parse(text));
            default:
                throw new IllegalArgumentException("no test conversion for " + type);
        }
    }

    private static byte[] bytesOf(ByteBuffer buf, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = buf.get(i);
        }
        return b;
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
