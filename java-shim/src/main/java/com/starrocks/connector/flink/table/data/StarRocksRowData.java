package com.starrocks.connector.flink.table.data;

/**
 * One row that the user serialized already (a CSV line without the row delimiter, or one JSON
 * object), with the StarRocks table it goes to. A sink that receives these loads each into its
 * own table, so one sink can write many tables.
 */
public interface StarRocksRowData {

    /** Not used by this connector for routing (rows are grouped by database and table). */
    String getUniqueKey();

    String getDatabase();

    String getTable();

    /** The serialized row. */
    String getRow();
}
