package com.starrocks.connector.flink.sink;

import com.starrocks.data.load.stream.properties.StreamLoadTableProperties;

import java.io.Serializable;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Stream Load properties that individual tables set in place of the sink's
 * ({@code StarRocksSinkOptions#addTableProperties}), looked up by database and table.
 */
public final class TableHeaders implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Keys the public SDK keeps among a table's properties that are not Stream Load headers. */
    private static final String DB = "db";
    private static final String TABLE = "table";

    private final HashMap<String, LinkedHashMap<String, String>> byTable = new HashMap<>();

    private TableHeaders() {}

    /** An index of {@code properties}; later entries for the same table replace earlier ones. */
    public static TableHeaders index(List<StreamLoadTableProperties> properties) {
        TableHeaders headers = new TableHeaders();
        for (StreamLoadTableProperties p : properties) {
            headers.byTable.put(key(p.getDatabase(), p.getTable()), of(p));
        }
        return headers;
    }

    /** The Stream Load headers of one table's properties ({@code db} and {@code table} left out). */
    public static LinkedHashMap<String, String> of(StreamLoadTableProperties properties) {
        LinkedHashMap<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : properties.getProperties().entrySet()) {
            String name = e.getKey();
            if (!DB.equalsIgnoreCase(name) && !TABLE.equalsIgnoreCase(name)) {
                headers.put(name, e.getValue());
            }
        }
        return headers;
    }

    /** The headers that {@code database.table} sets in place of the sink's; empty when none. */
    public Map<String, String> forTable(String database, String table) {
        Map<String, String> headers = byTable.get(key(database, table));
        return headers == null ? Collections.<String, String>emptyMap() : Collections.unmodifiableMap(headers);
    }

    private static String key(String database, String table) {
        return database + '\u0000' + table;
    }
}
