package com.starrocks.connector.flink.sink;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The tables that one writer loads pre-serialized rows into, registered with the engine the first
 * time a row names them. A row without database, table or data is dropped with a warning, as the
 * public connector does.
 */
final class RawTables {
    private static final Logger LOG = LoggerFactory.getLogger(RawTables.class);
    /** Every dropped row is logged up to this count, then every {@link #LOG_EVERY}th. */
    private static final long LOG_ALL_UP_TO = 10;
    private static final long LOG_EVERY = 10_000;

    private final TableHeaders headers;
    private final Map<String, Integer> ids = new HashMap<>();
    private long dropped;

    RawTables(TableHeaders headers) {
        this.headers = headers;
    }

    /** Writes one serialized row into {@code database.table}, or drops an incomplete one. */
    void write(EngineWriter writer, String database, String table, String row) {
        if (isEmpty(database) || isEmpty(table) || isEmpty(row)) {
            drop(database, table, row);
            return;
        }
        writer.writeRaw(id(writer, database, table), row.getBytes(StandardCharsets.UTF_8));
    }

    /** Drops a record that names no table or has no rows (logged like an incomplete row). */
    void drop(String database, String table, String row) {
        dropped++;
        if (dropped <= LOG_ALL_UP_TO || dropped % LOG_EVERY == 0) {
            LOG.warn(
                    "dropping a record with an empty database, table or row (database: '{}', table: '{}',"
                            + " row: {}); {} dropped so far",
                    database,
                    table,
                    row == null ? "null" : row.length() + " characters",
                    dropped);
        }
    }

    private int id(EngineWriter writer, String database, String table) {
        String key = database + '\u0000' + table;
        Integer id = ids.get(key);
        if (id == null) {
            id = writer.registerRawTable(database, table, headers.forTable(database, table));
            ids.put(key, id);
        }
        return id;
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
