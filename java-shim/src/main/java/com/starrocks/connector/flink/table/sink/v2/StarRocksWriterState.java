package com.starrocks.connector.flink.table.sink.v2;

import java.io.Serializable;
import java.util.Objects;

/**
 * Writer state of exactly-once: one label space ({@code {prefix}-{table}-{subtask}-{id}} labels)
 * and the id its next transaction uses. On restore, labels from {@code nextId} on belong to
 * transactions after the checkpoint and are aborted if a crashed attempt left them behind.
 */
public final class StarRocksWriterState implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String labelPrefix;
    private final String database;
    private final String table;
    private final int subtaskIndex;
    private final long nextId;

    public StarRocksWriterState(
            String labelPrefix, String database, String table, int subtaskIndex, long nextId) {
        this.labelPrefix = Objects.requireNonNull(labelPrefix);
        this.database = Objects.requireNonNull(database);
        this.table = Objects.requireNonNull(table);
        this.subtaskIndex = subtaskIndex;
        this.nextId = nextId;
    }

    public String getLabelPrefix() {
        return labelPrefix;
    }

    public String getDatabase() {
        return database;
    }

    public String getTable() {
        return table;
    }

    public int getSubtaskIndex() {
        return subtaskIndex;
    }

    public long getNextId() {
        return nextId;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StarRocksWriterState)) {
            return false;
        }
        StarRocksWriterState s = (StarRocksWriterState) o;
        return labelPrefix.equals(s.labelPrefix)
                && database.equals(s.database)
                && table.equals(s.table)
                && subtaskIndex == s.subtaskIndex
                && nextId == s.nextId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(labelPrefix, database, table, subtaskIndex, nextId);
    }

    @Override
    public String toString() {
        return "label space " + labelPrefix + "-" + table + "-" + subtaskIndex + "-* of " + database
                + " (next id " + nextId + ")";
    }
}
