package com.starrocks.connector.flink.table.sink.v2;

import java.io.Serializable;
import java.util.Objects;

/** A prepared StarRocks transaction (one table, one label), committed once its checkpoint completes. */
public final class StarRocksCommittable implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String database;
    private final String table;
    private final String label;

    public StarRocksCommittable(String database, String table, String label) {
        this.database = Objects.requireNonNull(database);
        this.table = Objects.requireNonNull(table);
        this.label = Objects.requireNonNull(label);
    }

    public String getDatabase() {
        return database;
    }

    public String getTable() {
        return table;
    }

    public String getLabel() {
        return label;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StarRocksCommittable)) {
            return false;
        }
        StarRocksCommittable c = (StarRocksCommittable) o;
        return database.equals(c.database) && table.equals(c.table) && label.equals(c.label);
    }

    @Override
    public int hashCode() {
        return Objects.hash(database, table, label);
    }

    @Override
    public String toString() {
        return "transaction " + label + " on " + database + "." + table;
    }
}
