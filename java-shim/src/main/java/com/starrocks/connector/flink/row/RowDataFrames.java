package com.starrocks.connector.flink.row;

import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.TimestampType;

import java.util.List;

/**
 * Copies the fields of Flink {@link RowData} into row frames, typed: one writer per column, chosen
 * once from its {@link LogicalType}. No CSV or JSON is produced in Java.
 */
public final class RowDataFrames implements RowFrameWriter.FieldsWriter<RowData> {

    private interface FieldWriter {
        void write(RowFrameWriter out, RowData row, int pos);
    }

    private final FieldWriter[] writers;

    public RowDataFrames(List<LogicalType> types) {
        writers = new FieldWriter[types.size()];
        for (int i = 0; i < writers.length; i++) {
            writers[i] = writerFor(types.get(i));
        }
    }

    public int fieldCount() {
        return writers.length;
    }

    /**
     * Why a column of this type cannot be written yet, or null when it can.
     */
    public static String unsupportedReason(LogicalType type) {
        try {
            writerFor(type);
            return null;
        } catch (UnsupportedOperationException e) {
            return e.getMessage();
        }
    }

    @Override
    public void writeFields(RowFrameWriter out, RowData row) {
        for (int i = 0; i < writers.length; i++) {
            if (row.isNullAt(i)) {
                out.putNull();
            } else {
                writers[i].write(out, row, i);
            }
        }
    }

    private static FieldWriter writerFor(LogicalType type) {
        switch (type.getTypeRoot()) {
            case BOOLEAN:
                return (out, row, pos) -> out.putBoolean(row.getBoolean(pos));
            case TINYINT:
                return (out, row, pos) -> out.putTinyInt(row.getByte(pos));
            case SMALLINT:
                return (out, row, pos) -> out.putSmallInt(row.getShort(pos));
            case INTEGER:
                return (out, row, pos) -> out.putInt(row.getInt(pos));
            case BIGINT:
                return (out, row, pos) -> out.putBigInt(row.getLong(pos));
            case FLOAT:
                return (out, row, pos) -> out.putFloat(row.getFloat(pos));
            case DOUBLE:
                return (out, row, pos) -> out.putDouble(row.getDouble(pos));
            case DECIMAL:
                {
                    DecimalType d = (DecimalType) type;
                    final int precision = d.getPrecision();
                    final int scale = d.getScale();
                    if (DecimalData.isCompact(precision)) {
                        return (out, row, pos) ->
                                out.putDecimal(
                                        row.getDecimal(pos, precision, scale).toUnscaledLong(),
                                        scale);
                    }
                    return (out, row, pos) ->
                            out.putDecimal(
                                    row.getDecimal(pos, precision, scale).toUnscaledBytes(), scale);
                }
            case CHAR:
            case VARCHAR:
                return (out, row, pos) -> out.putString(row.getString(pos).toBytes());
            case DATE:
                return (out, row, pos) -> out.putDate(row.getInt(pos));
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                {
                    final int precision = ((TimestampType) type).getPrecision();
                    return (out, row, pos) -> {
                        TimestampData ts = row.getTimestamp(pos, precision);
                        out.putTimestamp(
                                precision, ts.getMillisecond(), ts.getNanoOfMillisecond());
                    };
                }
            default:
                throw new UnsupportedOperationException(
                        "Flink type " + type.asSummaryString() + " is not supported yet");
        }
    }
}
