package com.starrocks.connector.flink.row.sink;

import org.apache.flink.types.RowKind;

/**
 * The operation a row applies to a StarRocks PRIMARY KEY table, loaded as the hidden column
 * {@value #COLUMN_KEY}: its ordinal (0 upsert, 1 delete) is the column's value.
 */
public enum StarRocksSinkOP {
    UPSERT,
    DELETE;

    /** Name of the Stream Load column that carries the operation. */
    public static final String COLUMN_KEY = "__op";

    /** Inserts and update-afters upsert; deletes and update-befores delete. */
    static StarRocksSinkOP parse(RowKind kind) {
        switch (kind) {
            case INSERT:
            case UPDATE_AFTER:
                return UPSERT;
            case DELETE:
            case UPDATE_BEFORE:
                return DELETE;
            default:
                throw new IllegalArgumentException("unknown row kind " + kind);
        }
    }
}
