package com.starrocks.connector.flink.sink;

import com.starrocks.connector.flink.row.RowDataFrames;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.RowKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes Flink SQL {@link RowData} of one table as typed rows.
 *
 * <p>Row kinds: a PRIMARY KEY table loads inserts and update-afters as upserts and deletes as
 * deletes ({@code __op}). An update-before deletes its key when {@code sink.ignore.update-before}
 * is false; when it is true (the default) the engine drops an update-before that is followed by the
 * update-after of the same key, and loads any other (a retraction, e.g. a row leaving a filtered
 * aggregation) as the delete it is: the public connector drops those too and leaves stale rows.
 * Other tables load inserts and update-afters and drop deletes and update-befores, as the public
 * connector.
 */
public final class RowDataEncoder implements RecordEncoder<RowData> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RowDataEncoder.class);

    private final String database;
    private final String table;
    private final String[] columns;
    private final ArrayList<LogicalType> types;
    private final int[] positions;
    private final boolean primaryKey;
    private final int[] keyFields;
    private final HashMap<String, String> tableProperties;
    private final int[] columnModes;
    private final String zone;

    private transient RowDataFrames fields;
    private transient int tableId;
    private transient boolean warnedAboutDeletes;

    /** All fields of the rows, an insert-only (non PRIMARY KEY) table, no table properties. */
    public RowDataEncoder(String database, String table, List<String> columns, List<LogicalType> types) {
        this(database, table, columns, types, null, Collections.<String>emptyList(), true,
                new HashMap<String, String>(), null, ZoneId.systemDefault());
    }

    /**
     * @param columns names of the loaded columns
     * @param types their Flink types
     * @param positions where they are in the rows (null: positions 0..n-1)
     * @param keyColumns the key of the StarRocks table when it is a PRIMARY KEY table, else empty
     * @param ignoreUpdateBefore {@code sink.ignore.update-before}
     * @param tableProperties Stream Load properties of this table (e.g. {@code partial_update})
     * @param columnModes how each column is loaded ({@code NativeBridge.COLUMN_*}); null: by value
     * @param zone the session time zone, in which TIMESTAMP_LTZ values are loaded
     */
    public RowDataEncoder(
            String database,
            String table,
            List<String> columns,
            List<LogicalType> types,
            int[] positions,
            List<String> keyColumns,
            boolean ignoreUpdateBefore,
            Map<String, String> tableProperties,
            int[] columnModes,
            ZoneId zone) {
        this.database = database;
        this.table = table;
        this.columns = columns.toArray(new String[0]);
        this.types = new ArrayList<>(types);
        this.positions = positions == null ? null : positions.clone();
        this.primaryKey = !keyColumns.isEmpty();
        this.keyFields = ignoreUpdateBefore ? keyFieldsOf(columns, keyColumns) : new int[0];
        this.tableProperties = new HashMap<>(tableProperties);
        this.columnModes = columnModes == null ? null : columnModes.clone();
        this.zone = zone.getId();
    }

    private static int[] keyFieldsOf(List<String> columns, List<String> keyColumns) {
        int[] fields = new int[keyColumns.size()];
        for (int k = 0; k < fields.length; k++) {
            fields[k] = -1;
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).equalsIgnoreCase(keyColumns.get(k))) {
                    fields[k] = i;
                }
            }
            if (fields[k] < 0) {
                throw new IllegalArgumentException("key column " + keyColumns.get(k) + " is not loaded");
            }
        }
        return fields;
    }

    @Override
    public void open(EngineWriter writer) {
        fields = new RowDataFrames(types, positions, ZoneId.of(zone));
        tableId = writer.registerTypedTable(
                database, table, columns, tableProperties, primaryKey, keyFields, columnModes);
    }

    @Override
    public void encode(RowData row, EngineWriter writer) {
        RowKind kind = row.getRowKind();
        boolean load;
        switch (kind) {
            case INSERT:
            case UPDATE_AFTER:
                load = true;
                break;
            case UPDATE_BEFORE:
                load = primaryKey;
                break;
            default:
                load = primaryKey;
                if (!load && !warnedAboutDeletes) {
                    warnedAboutDeletes = true;
                    LOG.warn(
                            "dropping DELETE rows for {}.{}: only PRIMARY KEY tables can delete rows",
                            database,
                            table);
                }
        }
        if (load) {
            writer.writeRow(tableId, kind.toByteValue(), fields.fieldCount(), fields, row);
        }
    }
}
