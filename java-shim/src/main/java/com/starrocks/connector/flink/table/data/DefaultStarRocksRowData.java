package com.starrocks.connector.flink.table.data;

/**
 * A mutable {@link StarRocksRowData}: a Flink POJO that a job can create per record or reuse
 * (the sink copies the row before {@code write} returns).
 */
public class DefaultStarRocksRowData implements StarRocksRowData {
    private String uniqueKey;
    private String database;
    private String table;
    private String row;

    public DefaultStarRocksRowData() {}

    public DefaultStarRocksRowData(String database, String table) {
        this(null, database, table, null);
    }

    public DefaultStarRocksRowData(String uniqueKey, String database, String table, String row) {
        this.uniqueKey = uniqueKey;
        this.database = database;
        this.table = table;
        this.row = row;
    }

    @Override
    public String getUniqueKey() {
        return uniqueKey;
    }

    public void setUniqueKey(String uniqueKey) {
        this.uniqueKey = uniqueKey;
    }

    @Override
    public String getDatabase() {
        return database;
    }

    public void setDatabase(String database) {
        this.database = database;
    }

    @Override
    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }

    @Override
    public String getRow() {
        return row;
    }

    public void setRow(String row) {
        this.row = row;
    }

    /** Names the target table only: rows may hold data that does not belong in logs. */
    @Override
    public String toString() {
        return "DefaultStarRocksRowData{" + database + "." + table + "}";
    }
}
