package com.starrocks.connector.flink.sink;

import com.starrocks.connector.flink.natives.StarRocksException;
import com.starrocks.connector.flink.table.data.StarRocksRowData;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;
import com.starrocks.connector.flink.table.sink.StarRocksSinkRowDataWithMeta;

/**
 * Encodes records the user serialized already: a {@link StarRocksRowData} or a
 * {@link StarRocksSinkRowDataWithMeta} goes to the table it names (one sink, many tables); any
 * other record ({@code String}, or else its {@code toString()}) is one row of the sink's
 * {@code database-name}.{@code table-name}. A CSV row has no row delimiter; a JSON row is one
 * object.
 */
public final class RawRecordEncoder<T> implements RecordEncoder<T> {
    private static final long serialVersionUID = 1L;
    private static final String WILDCARD = "*";

    private final String database;
    private final String table;
    private final TableHeaders headers;

    private transient RawTables tables;

    /**
     * @param database {@code database-name}: the target of records that do not name their table
     * @param table {@code table-name}, likewise
     * @param headers Stream Load properties that single tables set in place of the sink's
     */
    public RawRecordEncoder(String database, String table, TableHeaders headers) {
        this.database = database;
        this.table = table;
        this.headers = headers;
    }

    /** The encoder of the sink's records, with the per-table properties of its options. */
    public static <T> RawRecordEncoder<T> forSink(StarRocksSinkOptions options) {
        return new RawRecordEncoder<>(
                options.getDatabaseName(), options.getTableName(), TableHeaders.index(options.getTablePropertiesList()));
    }

    @Override
    public void open(EngineWriter writer) {
        tables = new RawTables(headers);
    }

    @Override
    public void encode(T record, EngineWriter writer) {
        if (record instanceof StarRocksSinkRowDataWithMeta) {
            StarRocksSinkRowDataWithMeta rows = (StarRocksSinkRowDataWithMeta) record;
            String[] data = rows.getDataRows();
            if (data.length == 0) {
                tables.drop(rows.getDatabase(), rows.getTable(), null);
            }
            for (String row : data) {
                tables.write(writer, rows.getDatabase(), rows.getTable(), row);
            }
        } else if (record instanceof StarRocksRowData) {
            StarRocksRowData row = (StarRocksRowData) record;
            tables.write(writer, row.getDatabase(), row.getTable(), row.getRow());
        } else {
            if (WILDCARD.equals(database) || WILDCARD.equals(table)) {
                throw new StarRocksException(
                        StarRocksException.Kind.CONFIG,
                        "a " + record.getClass().getName() + " record names no table, and 'database-name'."
                                + "'table-name' is '" + database + "." + table + "': send StarRocksRowData or"
                                + " StarRocksSinkRowDataWithMeta to write several tables, or name one table");
            }
            tables.write(writer, database, table, record.toString());
        }
    }
}
