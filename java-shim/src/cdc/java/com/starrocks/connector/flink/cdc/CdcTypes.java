package com.starrocks.connector.flink.cdc;

import org.apache.flink.cdc.common.data.DecimalData;
import org.apache.flink.cdc.common.data.LocalZonedTimestampData;
import org.apache.flink.cdc.common.data.StringData;
import org.apache.flink.cdc.common.data.TimestampData;
import org.apache.flink.cdc.common.types.DataType;
import org.apache.flink.cdc.common.types.DataTypeChecks;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.BooleanType;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.FloatType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.SmallIntType;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.table.types.logical.TinyIntType;
import org.apache.flink.table.types.logical.VarCharType;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * Flink CDC types in StarRocks: the column type of {@code CREATE TABLE} / {@code ALTER TABLE}, the
 * Flink type the engine encodes the values with, and the Java value of a CDC field. The table is
 * in README ("Flink CDC pipeline sink"); a type without a row there is refused.
 */
final class CdcTypes {
    /** StarRocks' longest VARCHAR, in bytes. */
    static final int MAX_VARCHAR_BYTES = 1_048_576;
    /** StarRocks' longest CHAR, in bytes. */
    static final int MAX_CHAR_BYTES = 255;
    /** StarRocks counts VARCHAR/CHAR lengths in bytes, CDC in characters: up to 3 bytes each. */
    private static final int BYTES_PER_CHAR = 3;

    private CdcTypes() {}

    /**
     * The StarRocks column type of a CDC type, without nullability.
     *
     * @param where "table db.t, column c", for the message
     * @throws UnsupportedOperationException naming {@code where} and the type when StarRocks has no
     *     type for it here
     */
    static String starRocksType(DataType type, String where) {
        switch (type.getTypeRoot()) {
            case BOOLEAN:
                return "BOOLEAN";
            case TINYINT:
                return "TINYINT";
            case SMALLINT:
                return "SMALLINT";
            case INTEGER:
                return "INT";
            case BIGINT:
                return "BIGINT";
            case FLOAT:
                return "FLOAT";
            case DOUBLE:
                return "DOUBLE";
            case DECIMAL:
                // Flink CDC's DECIMAL has at most 38 digits, as StarRocks'.
                return "DECIMAL(" + DataTypeChecks.getPrecision(type) + "," + DataTypeChecks.getScale(type) + ")";
            case CHAR:
                int charBytes = bytes(DataTypeChecks.getLength(type));
                return charBytes <= MAX_CHAR_BYTES ? "CHAR(" + charBytes + ")" : "VARCHAR(" + charBytes + ")";
            case VARCHAR:
                return "VARCHAR(" + bytes(DataTypeChecks.getLength(type)) + ")";
            case DATE:
                return "DATE";
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return "DATETIME";
            default:
                throw new UnsupportedOperationException(where + ": type " + type.asSummaryString()
                        + " is not supported: the StarRocks pipeline sink has no StarRocks type for it");
        }
    }

    /** The Flink type the engine encodes values of {@code type} with (see {@link #value}). */
    static LogicalType engineType(DataType type) {
        boolean nullable = type.isNullable();
        switch (type.getTypeRoot()) {
            case BOOLEAN:
                return new BooleanType(nullable);
            case TINYINT:
                return new TinyIntType(nullable);
            case SMALLINT:
                return new SmallIntType(nullable);
            case INTEGER:
                return new IntType(nullable);
            case BIGINT:
                return new BigIntType(nullable);
            case FLOAT:
                return new FloatType(nullable);
            case DOUBLE:
                return new DoubleType(nullable);
            case DECIMAL:
                return new DecimalType(nullable, DataTypeChecks.getPrecision(type), DataTypeChecks.getScale(type));
            case CHAR:
            case VARCHAR:
                return new VarCharType(nullable, VarCharType.MAX_LENGTH);
            case DATE:
                return new DateType(nullable);
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return new TimestampType(nullable, Math.min(6, DataTypeChecks.getPrecision(type)));
            default:
                throw new UnsupportedOperationException("no engine type for " + type);
        }
    }

    /**
     * The Java value of an internal CDC field value (what {@code RecordData.FieldGetter} returns)
     * in the form the engine takes for {@link #engineType}: TIMESTAMP_LTZ becomes the wall-clock
     * time in {@code zone} (the pipeline's {@code local-time-zone}).
     */
    static Object value(DataType type, Object internal, ZoneId zone) {
        if (internal == null) {
            return null;
        }
        switch (type.getTypeRoot()) {
            case DECIMAL:
                return ((DecimalData) internal).toBigDecimal();
            case CHAR:
            case VARCHAR:
                return ((StringData) internal).toString();
            case DATE:
                return LocalDate.ofEpochDay(((Number) internal).longValue());
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return ((TimestampData) internal).toLocalDateTime();
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return LocalDateTime.ofInstant(((LocalZonedTimestampData) internal).toInstant(), zone);
            default:
                return internal;
        }
    }

    private static int bytes(int characters) {
        long bytes = (long) characters * BYTES_PER_CHAR;
        return (int) Math.min(Math.max(bytes, 1), MAX_VARCHAR_BYTES);
    }
}
