package com.starrocks.connector.flink.catalog;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.CharType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.VarCharType;

import java.util.Locale;

/**
 * Types between a StarRocks table and its Flink view (the catalog, the Flink CDC pipeline sink). StarRocks lengths are bytes,
 * Flink's characters: a Flink CHAR/VARCHAR of n characters becomes 3n bytes in StarRocks (at most
 * 1048576; a CHAR over 255 bytes becomes VARCHAR), a StarRocks CHAR(n) or VARCHAR(n) is a Flink
 * VARCHAR(n).
 */
public final class StarRocksTypes {
    static final int MAX_VARCHAR_BYTES = 1_048_576;
    static final int MAX_CHAR_BYTES = 255;
    private static final int BYTES_PER_CHAR = 3;

    private StarRocksTypes() {}

    /**
     * The Flink type of a StarRocks column ({@code information_schema.COLUMNS}).
     *
     * @param where "table db.t, column c", for the message
     * @throws UnsupportedOperationException naming {@code where} and the type when Flink has none
     *     for it here
     */
    static DataType toFlink(String dataType, String columnType, String size, String digits, boolean nullable, String where) {
        DataType t;
        switch (dataType.toLowerCase(Locale.ROOT)) {
            case "boolean":
                t = DataTypes.BOOLEAN();
                break;
            case "tinyint":
                t = "tinyint(1)".equalsIgnoreCase(columnType) ? DataTypes.BOOLEAN() : DataTypes.TINYINT();
                break;
            case "smallint":
                t = DataTypes.SMALLINT();
                break;
            case "int":
                t = DataTypes.INT();
                break;
            case "bigint":
                t = DataTypes.BIGINT();
                break;
            case "largeint":
                t = DataTypes.STRING();
                break;
            case "float":
                t = DataTypes.FLOAT();
                break;
            case "double":
                t = DataTypes.DOUBLE();
                break;
            case "decimal":
            case "decimalv2":
            case "decimal32":
            case "decimal64":
            case "decimal128":
                t = DataTypes.DECIMAL(Integer.parseInt(size), Integer.parseInt(digits));
                break;
            case "char":
                // Not CHAR: Flink would pad every value to the StarRocks length in bytes.
            case "varchar":
                t = DataTypes.VARCHAR(Integer.parseInt(size));
                break;
            case "string":
            case "json":
                t = DataTypes.STRING();
                break;
            case "date":
                t = DataTypes.DATE();
                break;
            case "datetime":
                t = DataTypes.TIMESTAMP(6);
                break;
            case "varbinary":
            case "binary":
                t = DataTypes.BYTES();
                break;
            default:
                throw new UnsupportedOperationException(where + ": StarRocks type " + columnType + " has no Flink type");
        }
        return nullable ? t.nullable() : t.notNull();
    }

    /**
     * The StarRocks column type of a Flink type, without nullability.
     *
     * @param where "table db.t, column c", for the message
     * @throws UnsupportedOperationException naming {@code where} and the type when StarRocks has
     *     none for it here
     */
    public static String toStarRocks(LogicalType type, String where) {
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
                DecimalType d = (DecimalType) type;
                return "DECIMAL(" + d.getPrecision() + "," + d.getScale() + ")";
            case CHAR:
                int charBytes = bytes(((CharType) type).getLength());
                return charBytes <= MAX_CHAR_BYTES ? "CHAR(" + charBytes + ")" : "VARCHAR(" + charBytes + ")";
            case VARCHAR:
                return "VARCHAR(" + bytes(((VarCharType) type).getLength()) + ")";
            case DATE:
                return "DATE";
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return "DATETIME";
            case BINARY:
            case VARBINARY:
                return "VARBINARY";
            default:
                throw new UnsupportedOperationException(
                        where + ": type " + type.asSummaryString() + " is not supported: StarRocks has no type for it here");
        }
    }

    private static int bytes(int characters) {
        return (int) Math.min(Math.max((long) characters * BYTES_PER_CHAR, 1), MAX_VARCHAR_BYTES);
    }
}
