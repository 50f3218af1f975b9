package com.starrocks.connector.flink.sink;

import com.starrocks.connector.flink.natives.StarRocksException;
import com.starrocks.connector.flink.row.RowDataFrames;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.RowKind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Encodes Flink SQL {@link RowData} of one table schema as typed rows. */
public final class RowDataEncoder implements RecordEncoder<RowData> {
    private static final long serialVersionUID = 1L;

    private final String database;
    private final String table;
    private final String[] columns;
    private final ArrayList<LogicalType> types;

    private transient RowDataFrames fields;
    private transient int tableId;

    public RowDataEncoder(String database, String table, List<String> columns, List<LogicalType> types) {
        this.database = database;
        this.table = table;
        this.columns = columns.toArray(new String[0]);
        this.types = new ArrayList<>(types);
    }

    @Override
    public void open(EngineWriter writer) {
        fields = new RowDataFrames(types);
        tableId = writer.registerTypedTable(database, table, columns, Collections.<String, String>emptyMap(), false);
    }

    @Override
    public void encode(RowData row, EngineWriter writer) {
        RowKind kind = row.getRowKind();
        if (kind == RowKind.UPDATE_BEFORE) {
            return;
        }
        if (kind == RowKind.DELETE) {
            throw new StarRocksException(
                    StarRocksException.Kind.UNSUPPORTED,
                    "a DELETE row for "
                            + database
                            + "."
                            + table
                            + ": deletes (PRIMARY KEY tables) are not supported yet");
        }
        writer.writeRow(tableId, kind.toByteValue(), fields.fieldCount(), fields, row);
    }
}
