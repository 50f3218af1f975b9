package com.starrocks.connector.flink.sink;

import com.starrocks.connector.flink.natives.StarRocksException;
import com.starrocks.connector.flink.row.ObjectArrayFrames;
import com.starrocks.connector.flink.row.sink.StarRocksSinkOP;
import com.starrocks.connector.flink.row.sink.StarRocksSinkRowBuilder;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.RowKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes user records through a {@link StarRocksSinkRowBuilder}: the builder fills an
 * {@code Object[]} per record, which is loaded as a typed row of one table.
 *
 * <p>With {@code primaryKey} (the schema declares a primary key: a PRIMARY KEY table) the array
 * has one more slot, the last, for the operation ({@link StarRocksSinkOP} or its ordinal; null
 * means upsert), loaded as {@code __op}; a record that is a Flink {@link RowData} takes the
 * operation from its row kind instead, as in the public connector.
 */
public final class ObjectArrayEncoder<T> implements RecordEncoder<T> {
    private static final long serialVersionUID = 1L;

    private final String database;
    private final String table;
    private final String[] columns;
    private final ArrayList<LogicalType> types;
    private final boolean primaryKey;
    private final HashMap<String, String> tableProperties;
    private final StarRocksSinkRowBuilder<T> builder;

    private transient ObjectArrayFrames frames;
    private transient int tableId;

    /**
     * The encoder of the DataStream row-builder sinks: rows of the sink's {@code
     * database-name}.{@code table-name}, with the properties the options add for that table.
     *
     * @param primaryKey the schema declares a primary key: the rows carry an operation slot
     */
    public static <T> ObjectArrayEncoder<T> forSinkTable(
            StarRocksSinkOptions options,
            List<String> columns,
            List<LogicalType> types,
            boolean primaryKey,
            StarRocksSinkRowBuilder<T> builder) {
        String database = options.getDatabaseName();
        String table = options.getTableName();
        return new ObjectArrayEncoder<>(
                database,
                table,
                columns,
                types,
                primaryKey,
                TableHeaders.index(options.getTablePropertiesList()).forTable(database, table),
                builder);
    }

    /**
     * @throws StarRocksException of kind {@code UNSUPPORTED} for a column type that cannot be
     *     loaded yet, or {@code CONFIG} for a wildcard database or table
     */
    public ObjectArrayEncoder(
            String database,
            String table,
            List<String> columns,
            List<LogicalType> types,
            boolean primaryKey,
            Map<String, String> tableProperties,
            StarRocksSinkRowBuilder<T> builder) {
        if ("*".equals(database) || "*".equals(table)) {
            throw new StarRocksException(
                    StarRocksException.Kind.CONFIG,
                    "a sink with a row builder loads one table: set 'database-name' and 'table-name' to it,"
                            + " not '" + database + "." + table + "'");
        }
        this.database = database;
        this.table = table;
        this.columns = columns.toArray(new String[0]);
        this.types = new ArrayList<>(types);
        this.primaryKey = primaryKey;
        this.tableProperties = new HashMap<>(tableProperties);
        this.builder = builder;
        newFrames(); // fails now, where the job is built, on an unsupported column type
    }

    private ObjectArrayFrames newFrames() {
        return new ObjectArrayFrames(database + "." + table, Arrays.asList(columns), types);
    }

    @Override
    public void open(EngineWriter writer) {
        frames = newFrames();
        tableId = writer.registerTypedTable(database, table, columns, tableProperties, primaryKey);
    }

    @Override
    public void encode(T record, EngineWriter writer) {
        int n = columns.length;
        Object[] row = new Object[primaryKey ? n + 1 : n];
        builder.accept(row, record);
        byte kind = RowKind.INSERT.toByteValue();
        if (primaryKey) {
            kind = record instanceof RowData ? rowKindOf((RowData) record) : rowKindOf(row[n]);
        }
        frames.canonicalize(row);
        writer.writeRow(tableId, kind, n, frames, row);
    }

    private static byte rowKindOf(RowData record) {
        RowKind kind = record.getRowKind();
        boolean delete = kind == RowKind.DELETE || kind == RowKind.UPDATE_BEFORE;
        return (delete ? RowKind.DELETE : RowKind.INSERT).toByteValue();
    }

    /** The row kind of an operation slot: upsert loads as an insert, delete as a delete. */
    private byte rowKindOf(Object op) {
        if (op == null || op == StarRocksSinkOP.UPSERT || isOrdinal(op, StarRocksSinkOP.UPSERT)) {
            return RowKind.INSERT.toByteValue();
        }
        if (op == StarRocksSinkOP.DELETE || isOrdinal(op, StarRocksSinkOP.DELETE)) {
            return RowKind.DELETE.toByteValue();
        }
        throw new StarRocksException(
                StarRocksException.Kind.INVALID_DATA,
                "table " + database + "." + table + ": the last slot of a PRIMARY KEY row is the operation"
                        + " (StarRocksSinkOP.UPSERT/DELETE or 0/1), the row builder set " + op
                        + " (" + op.getClass().getName() + ")");
    }

    private static boolean isOrdinal(Object op, StarRocksSinkOP expected) {
        return (op instanceof Integer || op instanceof Long || op instanceof Short || op instanceof Byte)
                && ((Number) op).longValue() == expected.ordinal();
    }
}
