package com.starrocks.connector.flink.cdc;

import com.starrocks.connector.flink.catalog.StarRocksTypes;

import org.apache.flink.cdc.common.data.DecimalData;
import org.apache.flink.cdc.common.data.LocalZonedTimestampData;
import org.apache.flink.cdc.common.data.StringData;
import org.apache.flink.cdc.common.data.TimestampData;
import org.apache.flink.cdc.common.types.DataType;
import org.apache.flink.cdc.common.types.DataTypeChecks;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.BooleanType;
import org.apache.flink.table.types.logical.CharType;
import org.apache.flink.table.types.logical.DateType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.DoubleType;
import org.apache.flink.table.types.logical.FloatType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
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
    private CdcTypes() {}

    /**
     * The StarRocks column type of a CDC type, without nullability (see {@link StarRocksTypes}).
     *
     * @param where "table db.t, column c", for the message
     * @throws UnsupportedOperationException naming {@code where} and the type when the pipeline
     *     sink cannot load it
     */
    static String starRocksType(DataType type, String where) {
        switch (type.getTypeRoot()) {
            case BOOLEAN:
            case TINYINT:
            case SMALLINT:
            case INTEGER:
            case BIGINT:
            case FLOAT:
            case DOUBLE:
            case DECIMAL:
            case CHAR:
            case VARCHAR:
            case DATE:
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return StarRocksTypes.toStarRocks(flinkType(type), where);
            default:
                throw new UnsupportedOperationException(where + ": type " + type.asSummaryString()
                        + " is not supported: the StarRocks pipeline sink has no StarRocks type for it");
        }
    }

    /** The Flink type of a CDC type the pipeline sink loads. */
    private static LogicalType flinkType(DataType type) {
        boolean nullable = type.isNullable();
        switch (type.getTypeRoot()) {
            case CHAR:
                return new CharType(nullable, Math.max(1, DataTypeChecks.getLength(type)));
            case VARCHAR:
                return new VarCharType(nullable, Math.max(1, DataTypeChecks.getLength(type)));
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return new LocalZonedTimestampType(nullable, DataTypeChecks.getPrecision(type));
            default:
                return engineType(type);
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
}
