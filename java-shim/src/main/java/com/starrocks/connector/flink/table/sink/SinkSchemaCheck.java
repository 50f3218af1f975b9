package com.starrocks.connector.flink.table.sink;

import com.starrocks.connector.flink.sink.TableDescription;

import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.apache.flink.table.types.logical.LogicalTypeRoot.ARRAY;
import static org.apache.flink.table.types.logical.LogicalTypeRoot.BIGINT;
import static org.apache.flink.table.types.logical.LogicalTypeRoot.BINARY;
import static org.apache.flink.table.types.logical.LogicalTypeRoot.BOOLEAN;
import static org.apache.flink.table.types.logical.LogicalTypeRoot.CHAR;
import static org.apache.flink.table.types.logical.LogicalTypeRoot.DATE;
import static org.apache.flink.table.types.logical.LogicalTypeRoot.DECIMAL;
import static org.apache.flink.table.types.logical.LogicalTypeRoot.DOUBLE;
import static org.apache.flink.table.types.logical.LogicalTypeRoot.FLOAT;
import static org.apache.flink.table.types.logical.LogicalTypeRoot.INTEGER;
import static org.apache.flink.table.types.logical.LogicalTypeRoot.MAP;
import static org.apache.flink.table.types.logical.LogicalTypeRoot.ROW;
import static org.apache.flink.table.types.logical.LogicalTypeRoot.SMALLINT;
import static org.apache.flink.table.types.logical.LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE;
import static org.apache.flink.table.types.logical.LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
import static org.apache.flink.table.types.logical.LogicalTypeRoot.TIME_WITHOUT_TIME_ZONE;
import static org.apache.flink.table.types.logical.LogicalTypeRoot.TINYINT;
import static org.apache.flink.table.types.logical.LogicalTypeRoot.VARBINARY;
import static org.apache.flink.table.types.logical.LogicalTypeRoot.VARCHAR;

/**
 * Checks a Flink sink table against the StarRocks table it writes to, at planning time, with
 * messages that list the columns: a PRIMARY KEY table needs the same key declared in Flink; every
 * Flink column must exist in StarRocks with a compatible type (the public connector's rules, plus
 * widening of integers, ARRAY/MAP/ROW into ARRAY/MAP/STRUCT/JSON, and BINARY only into VARBINARY). With {@code sink.properties.columns} set, only the key is checked.
 */
final class SinkSchemaCheck {
    private static final Set<LogicalTypeRoot> INTEGERS = EnumSet.of(TINYINT, SMALLINT, INTEGER, BIGINT);
    private static final Set<LogicalTypeRoot> TEXT = EnumSet.of(CHAR, VARCHAR);

    /** StarRocks type (lower case) -> Flink types that may load into it; absent: anything. */
    private static final Map<String, Set<LogicalTypeRoot>> COMPATIBLE = new HashMap<>();

    static {
        COMPATIBLE.put("boolean", EnumSet.of(BOOLEAN));
        COMPATIBLE.put("tinyint", EnumSet.of(TINYINT, INTEGER, BOOLEAN));
        COMPATIBLE.put("smallint", EnumSet.of(SMALLINT, TINYINT));
        COMPATIBLE.put("int", EnumSet.of(INTEGER, SMALLINT, TINYINT));
        COMPATIBLE.put("bigint", union(INTEGERS));
        COMPATIBLE.put("largeint", union(INTEGERS, EnumSet.of(DECIMAL), TEXT));
        COMPATIBLE.put("float", union(INTEGERS, EnumSet.of(FLOAT)));
        COMPATIBLE.put("double", union(INTEGERS, EnumSet.of(FLOAT, DOUBLE, DECIMAL)));
        for (String d : Arrays.asList("decimal", "decimalv2", "decimal32", "decimal64", "decimal128", "decimal256")) {
            COMPATIBLE.put(d, union(INTEGERS, EnumSet.of(DECIMAL)));
        }
        for (String s : Arrays.asList("char", "varchar", "string")) {
            COMPATIBLE.put(s, union(TEXT, EnumSet.of(ARRAY, MAP, ROW, TIME_WITHOUT_TIME_ZONE)));
        }
        COMPATIBLE.put("date", union(EnumSet.of(DATE), TEXT));
        COMPATIBLE.put("datetime", union(EnumSet.of(TIMESTAMP_WITHOUT_TIME_ZONE, TIMESTAMP_WITH_LOCAL_TIME_ZONE), TEXT));
        COMPATIBLE.put("array", union(EnumSet.of(ARRAY), TEXT));
        COMPATIBLE.put("map", union(EnumSet.of(MAP), TEXT));
        COMPATIBLE.put("struct", union(EnumSet.of(ROW), TEXT));
        COMPATIBLE.put("json", union(TEXT, INTEGERS, EnumSet.of(BOOLEAN, FLOAT, DOUBLE, DECIMAL, ARRAY, MAP, ROW)));
        // BINARY values travel as hex that the load decodes (hex_decode_binary): VARBINARY only.
        COMPATIBLE.put("varbinary", EnumSet.of(BINARY, VARBINARY));
        COMPATIBLE.put("binary", EnumSet.of(BINARY, VARBINARY));
    }

    /** Flink types that load only into the StarRocks types that name them in the map above. */
    private static final Set<LogicalTypeRoot> RESTRICTED = EnumSet.of(BINARY, VARBINARY);

    @SafeVarargs
    private static Set<LogicalTypeRoot> union(Set<LogicalTypeRoot>... sets) {
        Set<LogicalTypeRoot> all = EnumSet.noneOf(LogicalTypeRoot.class);
        for (Set<LogicalTypeRoot> s : sets) {
            all.addAll(s);
        }
        return all;
    }

    private SinkSchemaCheck() {}

    /**
     * @return whether the StarRocks table is a PRIMARY KEY table (rows then carry {@code __op})
     * @throws ValidationException naming the columns at fault
     */
    static boolean check(
            String table,
            List<String> flinkColumns,
            List<LogicalType> flinkTypes,
            List<String> flinkPrimaryKey,
            TableDescription starrocks,
            boolean userColumns) {
        List<String> pk = starrocks.primaryKey();
        if (!pk.isEmpty() && !sameNames(pk, flinkPrimaryKey)) {
            throw new ValidationException(
                    "StarRocks table " + table + " is a PRIMARY KEY table with key (" + String.join(", ", pk)
                            + "); declare PRIMARY KEY (" + String.join(", ", pk) + ") NOT ENFORCED in the Flink"
                            + " table (it declares " + (flinkPrimaryKey.isEmpty() ? "none" : "(" + String.join(", ", flinkPrimaryKey) + ")") + ")");
        }
        if (userColumns) {
            return !pk.isEmpty();
        }
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        for (int i = 0; i < flinkColumns.size(); i++) {
            TableDescription.Column c = starrocks.column(flinkColumns.get(i));
            if (c == null) {
                missing.add(flinkColumns.get(i));
                continue;
            }
            Set<LogicalTypeRoot> allowed = COMPATIBLE.get(c.dataType.toLowerCase(Locale.ROOT));
            LogicalType t = flinkTypes.get(i);
            boolean fits = allowed == null ? !RESTRICTED.contains(t.getTypeRoot()) : allowed.contains(t.getTypeRoot());
            if (!fits) {
                mismatched.add(flinkColumns.get(i) + " (Flink " + t.asSummaryString() + ", StarRocks " + c.dataType.toUpperCase(Locale.ROOT) + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new ValidationException(
                    "Flink columns " + missing + " do not exist in StarRocks table " + table + ", which has "
                            + starrocks.columns() + "; rename them, or map them with 'sink.properties.columns'");
        }
        if (!mismatched.isEmpty()) {
            throw new ValidationException(
                    "column types of StarRocks table " + table + " do not fit the Flink table: " + mismatched);
        }
        return !pk.isEmpty();
    }

    private static boolean sameNames(List<String> a, List<String> b) {
        Set<String> x = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        x.addAll(a);
        Set<String> y = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        y.addAll(b);
        return x.equals(y);
    }
}
