package com.starrocks.connector.flink.row;

import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimeType;
import org.apache.flink.table.types.logical.TimestampType;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

/**
 * Copies the fields of Flink {@link RowData} into row frames, typed: one writer per column, chosen
 * once from its {@link LogicalType}. No CSV or JSON is produced in Java.
 *
 * <p>TIMESTAMP_LTZ values are instants; they are written as the wall-clock time of the session
 * time zone given to the constructor, which is what a StarRocks DATETIME column holds. ARRAY, MAP
 * and ROW values are written element by element, nested as deep as Flink nests them.
 */
public final class RowDataFrames implements RowFrameWriter.FieldsWriter<RowData> {

    /** Writes one non-null field of a row; bound to the field's position. */
    private interface FieldWriter {
        void write(RowFrameWriter out, RowData row);
    }

    /** Writes one non-null value of Flink's internal data structures (inside ARRAY, MAP, ROW). */
    private interface ValueWriter {
        void write(RowFrameWriter out, Object value);
    }

    private final FieldWriter[] writers;
    private final int[] positions;

    /** Writes every field of rows of these types; TIMESTAMP_LTZ in the JVM's time zone. */
    public RowDataFrames(List<LogicalType> types) {
        this(types, null, ZoneId.systemDefault());
    }

    /**
     * Writes the fields at {@code positions} (null: all), whose types are {@code types}.
     *
     * @param zone the session time zone, in which TIMESTAMP_LTZ values are written
     */
    public RowDataFrames(List<LogicalType> types, int[] positions, ZoneId zone) {
        if (positions == null) {
            positions = new int[types.size()];
            for (int i = 0; i < positions.length; i++) {
                positions[i] = i;
            }
        }
        if (positions.length != types.size()) {
            throw new IllegalArgumentException(positions.length + " positions for " + types.size() + " types");
        }
        this.positions = positions.clone();
        writers = new FieldWriter[types.size()];
        for (int i = 0; i < writers.length; i++) {
            writers[i] = fieldWriter(types.get(i), this.positions[i], zone);
        }
    }

    public int fieldCount() {
        return writers.length;
    }

    /**
     * Why a column of this type cannot be written, or null when it can.
     */
    public static String unsupportedReason(LogicalType type) {
        try {
            valueWriter(type, ZoneId.systemDefault());
            return null;
        } catch (UnsupportedOperationException e) {
            return e.getMessage();
        }
    }

    @Override
    public void writeFields(RowFrameWriter out, RowData row) {
        for (int i = 0; i < writers.length; i++) {
            if (row.isNullAt(positions[i])) {
                out.putNull();
            } else {
                writers[i].write(out, row);
            }
        }
    }

    /** Top-level fields: read with the primitive getters, no boxing for the common types. */
    private static FieldWriter fieldWriter(LogicalType type, int pos, ZoneId zone) {
        switch (type.getTypeRoot()) {
            case BOOLEAN:
                return (out, row) -> out.putBoolean(row.getBoolean(pos));
            case TINYINT:
                return (out, row) -> out.putTinyInt(row.getByte(pos));
            case SMALLINT:
                return (out, row) -> out.putSmallInt(row.getShort(pos));
            case INTEGER:
                return (out, row) -> out.putInt(row.getInt(pos));
            case BIGINT:
                return (out, row) -> out.putBigInt(row.getLong(pos));
            case FLOAT:
                return (out, row) -> out.putFloat(row.getFloat(pos));
            case DOUBLE:
                return (out, row) -> out.putDouble(row.getDouble(pos));
            case CHAR:
            case VARCHAR:
                return (out, row) -> out.putString(row.getString(pos).toBytes());
            case DATE:
                return (out, row) -> out.putDate(row.getInt(pos));
            default:
                // Everything else through the generic getter, as nested values are.
                final RowData.FieldGetter getter = RowData.createFieldGetter(type, pos);
                final ValueWriter value = valueWriter(type, zone);
                return (out, row) -> value.write(out, getter.getFieldOrNull(row));
        }
    }

    private static ValueWriter valueWriter(LogicalType type, ZoneId zone) {
        switch (type.getTypeRoot()) {
            case BOOLEAN:
                return (out, v) -> out.putBoolean((Boolean) v);
            case TINYINT:
                return (out, v) -> out.putTinyInt((Byte) v);
            case SMALLINT:
                return (out, v) -> out.putSmallInt((Short) v);
            case INTEGER:
                return (out, v) -> out.putInt((Integer) v);
            case BIGINT:
                return (out, v) -> out.putBigInt((Long) v);
            case FLOAT:
                return (out, v) -> out.putFloat((Float) v);
            case DOUBLE:
                return (out, v) -> out.putDouble((Double) v);
            case DECIMAL:
                {
                    final int precision = ((DecimalType) type).getPrecision();
                    final int scale = ((DecimalType) type).getScale();
                    if (DecimalData.isCompact(precision)) {
                        return (out, v) -> out.putDecimal(((DecimalData) v).toUnscaledLong(), scale);
                    }
                    return (out, v) -> out.putDecimal(((DecimalData) v).toUnscaledBytes(), scale);
                }
            case CHAR:
            case VARCHAR:
                return (out, v) -> out.putString(((StringData) v).toBytes());
            case BINARY:
            case VARBINARY:
                return (out, v) -> out.putBinary((byte[]) v);
            case DATE:
                return (out, v) -> out.putDate((Integer) v);
            case TIME_WITHOUT_TIME_ZONE:
                {
                    final int precision = ((TimeType) type).getPrecision();
                    return (out, v) -> out.putTime(precision, (Integer) v);
                }
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                {
                    final int precision = ((TimestampType) type).getPrecision();
                    return (out, v) -> {
                        TimestampData ts = (TimestampData) v;
                        out.putTimestamp(precision, ts.getMillisecond(), ts.getNanoOfMillisecond());
                    };
                }
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                {
                    final int precision = ((LocalZonedTimestampType) type).getPrecision();
                    return (out, v) -> {
                        LocalDateTime wall = LocalDateTime.ofInstant(((TimestampData) v).toInstant(), zone);
                        TimestampData ts = TimestampData.fromLocalDateTime(wall);
                        out.putTimestamp(precision, ts.getMillisecond(), ts.getNanoOfMillisecond());
                    };
                }
            case ARRAY:
                return arrayWriter(((ArrayType) type).getElementType(), zone);
            case MAP:
                return mapWriter((MapType) type, zone);
            case ROW:
                return rowWriter((RowType) type, zone);
            default:
                throw new UnsupportedOperationException(
                        "Flink type " + type.asSummaryString() + " cannot be loaded into StarRocks");
        }
    }

    private static ValueWriter arrayWriter(LogicalType elementType, ZoneId zone) {
        final ArrayData.ElementGetter getter = ArrayData.createElementGetter(elementType);
        final ValueWriter element = valueWriter(elementType, zone);
        return (out, v) -> {
            ArrayData array = (ArrayData) v;
            int n = array.size();
            out.putArrayHeader(n);
            for (int i = 0; i < n; i++) {
                writeNullable(out, element, getter.getElementOrNull(array, i));
            }
        };
    }

    private static ValueWriter mapWriter(MapType type, ZoneId zone) {
        final ArrayData.ElementGetter keyGetter = ArrayData.createElementGetter(type.getKeyType());
        final ArrayData.ElementGetter valueGetter = ArrayData.createElementGetter(type.getValueType());
        final ValueWriter key = valueWriter(type.getKeyType(), zone);
        final ValueWriter value = valueWriter(type.getValueType(), zone);
        return (out, v) -> {
            MapData map = (MapData) v;
            ArrayData keys = map.keyArray();
            ArrayData values = map.valueArray();
            int n = map.size();
            out.putMapHeader(n);
            for (int i = 0; i < n; i++) {
                writeNullable(out, key, keyGetter.getElementOrNull(keys, i));
                writeNullable(out, value, valueGetter.getElementOrNull(values, i));
            }
        };
    }

    private static ValueWriter rowWriter(RowType type, ZoneId zone) {
        final int n = type.getFieldCount();
        final byte[][] names = new byte[n][];
        final RowData.FieldGetter[] getters = new RowData.FieldGetter[n];
        final ValueWriter[] fields = new ValueWriter[n];
        for (int i = 0; i < n; i++) {
            names[i] = type.getFieldNames().get(i).getBytes(StandardCharsets.UTF_8);
            getters[i] = RowData.createFieldGetter(type.getTypeAt(i), i);
            fields[i] = valueWriter(type.getTypeAt(i), zone);
        }
        return (out, v) -> {
            RowData row = (RowData) v;
            out.putRowHeader(n);
            for (int i = 0; i < n; i++) {
                out.putFieldName(names[i]);
                writeNullable(out, fields[i], getters[i].getFieldOrNull(row));
            }
        };
    }

    private static void writeNullable(RowFrameWriter out, ValueWriter writer, Object value) {
        if (value == null) {
            out.putNull();
        } else {
            writer.write(out, value);
        }
    }
}
