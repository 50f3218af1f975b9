package com.starrocks.connector.flink.row;

import com.starrocks.connector.flink.testing.TestPaths;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.utils.LogicalTypeParser;
import org.junit.Test;

import java.io.File;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
            // TIMESTAMP_LTZ columns take instants; the vector's values are their wall-clock times
            // in the vector's zone, which the frames must carry.
            JsonNode values = v.has("instants") ? v.get("instants") : v.get("values");
            ZoneId zone = v.has("zone") ? ZoneId.of(v.get("zone").asText()) : ZoneId.of("UTC");
            for (int i = 0; i < types.size(); i++) {
                row.setField(i, value(types.get(i), values.get(i)));
            }
            final byte[][] captured = new byte[1][];
            RowFrameWriter w =
                    new RowFrameWriter(
                            64,
                            1 << 20,
                            (ByteBuffer buf, int len) -> {
                                captured[0] = bytesOf(buf, len);
                            });
            RowDataFrames fields = new RowDataFrames(types, null, zone);
            w.writeRow((byte) 0, v.get("table").asInt(), types.size(), fields, row);
            w.flush();
            assertEquals(name, v.get("frame_hex").asText(), hex(captured[0]));
            checked++;
        }
        assertTrue(checked >= 13);
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

    /** Flink's internal value of a vector value: text for scalars, JSON arrays for nested. */
    private static Object value(LogicalType type, JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        String text = node.asText();
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
            case BINARY:
            case VARBINARY:
                return hexBytes(text);
            case DATE:
                return (int) LocalDate.parse(text).toEpochDay();
            case TIME_WITHOUT_TIME_ZONE:
                return (int) (LocalTime.parse(text).toNanoOfDay() / 1_000_000);
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return TimestampData.fromLocalDateTime(LocalDateTime.parse(text));
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return TimestampData.fromInstant(Instant.parse(text));
            case ARRAY:
                {
                    LogicalType element = ((ArrayType) type).getElementType();
                    Object[] items = new Object[node.size()];
                    for (int i = 0; i < items.length; i++) {
                        items[i] = value(element, node.get(i));
                    }
                    return new GenericArrayData(items);
                }
            case MAP:
                {
                    MapType m = (MapType) type;
                    Map<Object, Object> entries = new LinkedHashMap<>();
                    for (JsonNode pair : node) {
                        entries.put(value(m.getKeyType(), pair.get(0)), value(m.getValueType(), pair.get(1)));
                    }
                    return new GenericMapData(entries);
                }
            case ROW:
                {
                    RowType r = (RowType) type;
                    GenericRowData nested = new GenericRowData(r.getFieldCount());
                    for (int i = 0; i < r.getFieldCount(); i++) {
                        nested.setField(i, value(r.getTypeAt(i), node.get(i)));
                    }
                    return nested;
                }
            default:
                throw new IllegalArgumentException("no test conversion for " + type);
        }
    }

    private static byte[] hexBytes(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
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
