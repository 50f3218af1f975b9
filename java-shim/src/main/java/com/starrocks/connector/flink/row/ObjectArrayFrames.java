package com.starrocks.connector.flink.row;

import com.starrocks.connector.flink.natives.StarRocksException;

import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.TimestampType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Copies rows that a {@code StarRocksSinkRowBuilder} filled ({@code Object[]}, one Java value per
 * column) into row frames, typed by the schema's {@link LogicalType}s.
 *
 * <p>Use in two steps: {@link #canonicalize} checks every value and replaces it by the form the
 * frame takes (it throws {@link StarRocksException} of kind {@code INVALID_DATA} naming the table,
 * column and Java class at fault), then {@link #writeFields} writes the checked values and cannot
 * fail, so a bad value never leaves half a frame behind.
 *
 * <p>Accepted Java values: BOOLEAN {@code Boolean}; TINYINT..BIGINT {@code Byte}, {@code Short},
 * {@code Integer}, {@code Long} within the type's range; FLOAT {@code Float}; DOUBLE {@code Double}
 * or {@code Float}; DECIMAL(p,s) {@code BigDecimal} (rounded half-up to s), {@code BigInteger} or
 * an integer type, at most p digits; CHAR/VARCHAR/STRING any {@code CharSequence} or
 * {@code Character}; DATE {@code LocalDate} or {@code java.sql.Date}; TIMESTAMP(p)
 * {@code LocalDateTime} or {@code java.sql.Timestamp}; DATE and TIMESTAMP in years 0000-9999.
 * {@code null} is NULL, refused for a column declared NOT NULL.
 */
public final class ObjectArrayFrames implements RowFrameWriter.FieldsWriter<Object[]> {

    private final String table;
    private final Column[] columns;

    /**
     * @param table {@code database.table}, for messages
     * @throws StarRocksException of kind {@code UNSUPPORTED} for a type that cannot be loaded yet
     */
    public ObjectArrayFrames(String table, List<String> names, List<LogicalType> types) {
        if (names.size() != types.size()) {
            throw new IllegalArgumentException(names.size() + " column names for " + types.size() + " types");
        }
        this.table = table;
        this.columns = new Column[names.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = column(names.get(i), types.get(i));
        }
    }

    public int fieldCount() {
        return columns.length;
    }

    /**
     * Checks {@code values[0 .. fieldCount())} and replaces each by its frame form (in place);
     * slots after them (the operation of a PRIMARY KEY row) are left alone.
     *
     * @throws StarRocksException of kind {@code INVALID_DATA} naming the column and the Java class
     */
    public void canonicalize(Object[] values) {
        for (int i = 0; i < columns.length; i++) {
            Column c = columns[i];
            Object v = values[i];
            if (v == null) {
                if (!c.type.isNullable()) {
                    throw invalid(c, "the row builder left it null, but the schema declares it NOT NULL");
                }
                continue;
            }
            Object canonical;
            try {
                canonical = c.canonical(v);
            } catch (ArithmeticException | IllegalArgumentException e) {
                throw invalid(c, e.getMessage());
            }
            if (canonical == null) {
                throw invalid(
                        c, "the row builder set a " + v.getClass().getName() + "; expected " + c.expected());
            }
            values[i] = canonical;
        }
    }

    /** Writes values that {@link #canonicalize} checked. */
    @Override
    public void writeFields(RowFrameWriter out, Object[] values) {
        for (int i = 0; i < columns.length; i++) {
            if (values[i] == null) {
                out.putNull();
            } else {
                columns[i].put(out, values[i]);
            }
        }
    }

    private StarRocksException invalid(Column c, String detail) {
        return new StarRocksException(
                StarRocksException.Kind.INVALID_DATA,
                "table " + table + ", column '" + c.name + "' (" + c.type.asSummaryString() + "): " + detail);
    }

    /** How one column's Java values become frame values. */
    private abstract static class Column {
        final String name;
        final LogicalType type;

        Column(String name, LogicalType type) {
            this.name = name;
            this.type = type;
        }

        /** The frame form of {@code v}, or null when its class is not accepted. */
        abstract Object canonical(Object v);

        abstract void put(RowFrameWriter out, Object canonical);

        /** The accepted Java classes, for messages. */
        abstract String expected();
    }

    private Column column(String name, LogicalType type) {
        switch (type.getTypeRoot()) {
            case BOOLEAN:
                return new Column(name, type) {
                    Object canonical(Object v) {
                        return v instanceof Boolean ? v : null;
                    }

                    void put(RowFrameWriter out, Object c) {
                        out.putBoolean((Boolean) c);
                    }

                    String expected() {
                        return "java.lang.Boolean";
                    }
                };
            case TINYINT:
                return new IntegerColumn(name, type, Byte.MIN_VALUE, Byte.MAX_VALUE) {
                    void put(RowFrameWriter out, Object c) {
                        out.putTinyInt((byte) (long) (Long) c);
                    }
                };
            case SMALLINT:
                return new IntegerColumn(name, type, Short.MIN_VALUE, Short.MAX_VALUE) {
                    void put(RowFrameWriter out, Object c) {
                        out.putSmallInt((short) (long) (Long) c);
                    }
                };
            case INTEGER:
                return new IntegerColumn(name, type, Integer.MIN_VALUE, Integer.MAX_VALUE) {
                    void put(RowFrameWriter out, Object c) {
                        out.putInt((int) (long) (Long) c);
                    }
                };
            case BIGINT:
                return new IntegerColumn(name, type, Long.MIN_VALUE, Long.MAX_VALUE) {
                    void put(RowFrameWriter out, Object c) {
                        out.putBigInt((Long) c);
                    }
                };
            case FLOAT:
                return new Column(name, type) {
                    Object canonical(Object v) {
                        return v instanceof Float ? v : null;
                    }

                    void put(RowFrameWriter out, Object c) {
                        out.putFloat((Float) c);
                    }

                    String expected() {
                        return "java.lang.Float";
                    }
                };
            case DOUBLE:
                return new Column(name, type) {
                    Object canonical(Object v) {
                        if (v instanceof Double) {
                            return v;
                        }
                        return v instanceof Float ? (Object) ((Float) v).doubleValue() : null;
                    }

                    void put(RowFrameWriter out, Object c) {
                        out.putDouble((Double) c);
                    }

                    String expected() {
                        return "java.lang.Double or java.lang.Float";
                    }
                };
            case DECIMAL:
                return new DecimalColumn(name, (DecimalType) type);
            case CHAR:
            case VARCHAR:
                return new Column(name, type) {
                    Object canonical(Object v) {
                        if (v instanceof CharSequence || v instanceof Character) {
                            return v.toString().getBytes(StandardCharsets.UTF_8);
                        }
                        return null;
                    }

                    void put(RowFrameWriter out, Object c) {
                        out.putString((byte[]) c);
                    }

                    String expected() {
                        return "java.lang.String (or another CharSequence)";
                    }
                };
            case DATE:
                return new Column(name, type) {
                    Object canonical(Object v) {
                        LocalDate d;
                        if (v instanceof LocalDate) {
                            d = (LocalDate) v;
                        } else if (v instanceof java.sql.Date) {
                            d = ((java.sql.Date) v).toLocalDate();
                        } else {
                            return null;
                        }
                        checkYear(d.getYear(), d);
                        return (int) d.toEpochDay();
                    }

                    void put(RowFrameWriter out, Object c) {
                        out.putDate((Integer) c);
                    }

                    String expected() {
                        return "java.time.LocalDate or java.sql.Date";
                    }
                };
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                final int precision = ((TimestampType) type).getPrecision();
                return new Column(name, type) {
                    Object canonical(Object v) {
                        LocalDateTime t;
                        if (v instanceof LocalDateTime) {
                            t = (LocalDateTime) v;
                        } else if (v instanceof java.sql.Timestamp) {
                            t = ((java.sql.Timestamp) v).toLocalDateTime();
                        } else {
                            return null;
                        }
                        checkYear(t.getYear(), t);
                        return t;
                    }

                    void put(RowFrameWriter out, Object c) {
                        LocalDateTime t = (LocalDateTime) c;
                        long millis = t.toEpochSecond(ZoneOffset.UTC) * 1000 + t.getNano() / 1_000_000;
                        out.putTimestamp(precision, millis, t.getNano() % 1_000_000);
                    }

                    String expected() {
                        return "java.time.LocalDateTime or java.sql.Timestamp";
                    }
                };
            default:
                throw new StarRocksException(
                        StarRocksException.Kind.UNSUPPORTED,
                        "table " + table + ", column '" + name + "': Flink type " + type.asSummaryString()
                                + " is not supported yet by the DataStream row builder (supported: BOOLEAN,"
                                + " TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, DECIMAL, CHAR, VARCHAR,"
                                + " STRING, DATE, TIMESTAMP)");
        }
    }

    private static void checkYear(int year, Object value) {
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException(value + " is outside the years 0000-9999 that StarRocks stores");
        }
    }

    /** TINYINT to BIGINT: any Java integer type whose value is in range, as a Long. */
    private abstract static class IntegerColumn extends Column {
        private final long min;
        private final long max;

        IntegerColumn(String name, LogicalType type, long min, long max) {
            super(name, type);
            this.min = min;
            this.max = max;
        }

        @Override
        Object canonical(Object v) {
            if (!(v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long)) {
                return null;
            }
            long x = ((Number) v).longValue();
            if (x < min || x > max) {
                throw new IllegalArgumentException(
                        "value " + x + " is out of range [" + min + ", " + max + "]");
            }
            return x;
        }

        @Override
        String expected() {
            return "java.lang.Byte, Short, Integer or Long";
        }
    }

    /** DECIMAL(p,s): rounded half-up to s digits after the point, at most p digits. */
    private static final class DecimalColumn extends Column {
        private final int precision;
        private final int scale;

        DecimalColumn(String name, DecimalType type) {
            super(name, type);
            this.precision = type.getPrecision();
            this.scale = type.getScale();
        }

        @Override
        Object canonical(Object v) {
            BigDecimal d;
            if (v instanceof BigDecimal) {
                d = (BigDecimal) v;
            } else if (v instanceof BigInteger) {
                d = new BigDecimal((BigInteger) v);
            } else if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
                d = BigDecimal.valueOf(((Number) v).longValue());
            } else {
                return null;
            }
            BigDecimal scaled = d.setScale(scale, RoundingMode.HALF_UP);
            if (scaled.precision() > precision) {
                throw new IllegalArgumentException(
                        "value " + d.toPlainString() + " does not fit DECIMAL(" + precision + ", " + scale + ")");
            }
            return scaled;
        }

        @Override
        void put(RowFrameWriter out, Object c) {
            BigInteger unscaled = ((BigDecimal) c).unscaledValue();
            if (unscaled.bitLength() < 64) {
                out.putDecimal(unscaled.longValue(), scale);
            } else {
                out.putDecimal(unscaled.toByteArray(), scale);
            }
        }

        @Override
        String expected() {
            return "java.math.BigDecimal, BigInteger or a Java integer type";
        }
    }
}
