package com.starrocks.connector.flink.table.sink;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Several rows that the user serialized already (CSV lines without the row delimiter, or JSON
 * objects), all for one StarRocks table. A sink from
 * {@link SinkFunctionFactory#createSinkFunction(StarRocksSinkOptions)} loads them into that table.
 */
public class StarRocksSinkRowDataWithMeta implements Serializable {
    private static final long serialVersionUID = 1L;

    private String database;
    private String table;
    private final List<String> dataRows = new ArrayList<>();

    public String getDatabase() {
        return database;
    }

    public void setDatabase(String database) {
        this.database = database;
    }

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }

    /** The rows, in the order they were added. */
    public String[] getDataRows() {
        return dataRows.toArray(new String[0]);
    }

    public void addDataRow(String dataRow) {
        dataRows.add(dataRow);
    }

    /** Names the target table and the row count only: rows may hold data that does not belong in logs. */
    @Override
    public String toString() {
        return "StarRocksSinkRowDataWithMeta{" + database + "." + table + ", " + dataRows.size() + " rows}";
    }
}
