package com.starrocks.connector.flink.sink;

import com.starrocks.connector.flink.natives.NativeBridge;
import com.starrocks.connector.flink.natives.OptionArrays;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What StarRocks says about a table (read by the engine over {@code jdbc-url} from
 * {@code information_schema.COLUMNS}): its columns with keys and types, and the server version.
 */
public final class TableDescription implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One column. {@code key} is {@code PRI} for the key columns of a PRIMARY KEY table. */
    public static final class Column implements Serializable {
        private static final long serialVersionUID = 1L;
        public final String name;
        public final String key;
        public final String dataType;

        Column(String name, String key, String dataType) {
            this.name = name;
            this.key = key;
            this.dataType = dataType;
        }

        @Override
        public String toString() {
            return name + " " + dataType.toUpperCase(Locale.ROOT);
        }
    }

    private final String version;
    private final List<Column> columns;

    private TableDescription(String version, List<Column> columns) {
        this.version = version;
        this.columns = columns;
    }

    /** Asks StarRocks (through the engine) about {@code database.table}. */
    public static TableDescription describe(Map<String, String> options, String database, String table) {
        String[][] kv = OptionArrays.of(options);
        String[] flat = NativeBridge.describeTable(kv[0], kv[1], database, table);
        List<Column> columns = new ArrayList<>();
        for (int i = 1; i + 5 < flat.length; i += 6) {
            columns.add(new Column(flat[i], flat[i + 2] == null ? "" : flat[i + 2], flat[i + 3]));
        }
        return new TableDescription(flat.length > 0 ? flat[0] : null, Collections.unmodifiableList(columns));
    }

    /** {@code current_version()}, or null. */
    public String version() {
        return version;
    }

    public List<Column> columns() {
        return columns;
    }

    /** Key columns of a PRIMARY KEY table; empty for other key models. */
    public List<String> primaryKey() {
        List<String> pk = new ArrayList<>();
        for (Column c : columns) {
            if ("PRI".equalsIgnoreCase(c.key)) {
                pk.add(c.name);
            }
        }
        return pk;
    }

    /** The column of that name (case-insensitive), or null. */
    public Column column(String name) {
        for (Column c : columns) {
            if (c.name.equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }
}
