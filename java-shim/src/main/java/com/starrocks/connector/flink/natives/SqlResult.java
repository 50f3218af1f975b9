package com.starrocks.connector.flink.natives;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer to one SQL statement that the engine ran through {@code jdbc-url} (StarRocks' MySQL
 * protocol, from Rust: the jar has no JDBC driver): column names and rows of text values, both
 * empty for DDL.
 */
public final class SqlResult {
    private final List<String> columns;
    private final List<List<String>> rows;

    private SqlResult(List<String> columns, List<List<String>> rows) {
        this.columns = columns;
        this.rows = rows;
    }

    /**
     * Runs {@code sql} with the connection settings of {@code options} ({@code jdbc-url},
     * {@code load-url}, {@code username}, {@code password}, {@code sink.connect.timeout-ms}).
     *
     * @throws StarRocksException naming the statement and the server's answer
     */
    public static SqlResult execute(Map<String, String> options, String sql) {
        // The engine reads the connection from sink options, which name a table: any will do.
        Map<String, String> connection = new HashMap<>(options);
        connection.putIfAbsent("database-name", "*");
        connection.putIfAbsent("table-name", "*");
        String[][] kv = OptionArrays.of(connection);
        String[] flat = NativeBridge.executeSql(kv[0], kv[1], sql);
        int width = Integer.parseInt(flat[0]);
        List<String> columns = Collections.unmodifiableList(Arrays.asList(Arrays.copyOfRange(flat, 1, 1 + width)));
        List<List<String>> rows = new ArrayList<>();
        for (int at = 1 + width; width > 0 && at + width <= flat.length; at += width) {
            rows.add(Collections.unmodifiableList(Arrays.asList(Arrays.copyOfRange(flat, at, at + width))));
        }
        return new SqlResult(columns, Collections.unmodifiableList(rows));
    }

    public List<String> columns() {
        return columns;
    }

    public List<List<String>> rows() {
        return rows;
    }

    /** The value of column {@code name} (case-insensitive) in row {@code row}. */
    public String value(int row, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equalsIgnoreCase(name)) {
                return rows.get(row).get(i);
            }
        }
        throw new IllegalArgumentException("no column " + name + " in " + columns);
    }
}
