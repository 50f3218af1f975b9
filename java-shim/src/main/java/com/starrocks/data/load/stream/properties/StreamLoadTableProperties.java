package com.starrocks.data.load.stream.properties;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Stream Load properties of one StarRocks table that replace, key by key, the sink's
 * {@code sink.properties.*} for that table: e.g. {@code format}, {@code columns},
 * {@code partial_update}, {@code column_separator}. Add them to the sink with
 * {@code StarRocksSinkOptions#addTableProperties}.
 *
 * <p>This is the class of the public connector's Stream Load SDK, with the part of its builder
 * that applies to this connector: database, table, columns and properties.
 */
public class StreamLoadTableProperties implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String uniqueKey;
    private final String database;
    private final String table;
    private final String columns;
    private final Map<String, String> properties;

    private StreamLoadTableProperties(Builder builder) {
        this.database = builder.database;
        this.table = builder.table;
        this.uniqueKey = builder.uniqueKey != null ? builder.uniqueKey : database + "-" + table;
        this.columns = builder.columns;
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(builder.properties));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code database-table} unless set; informational (rows are grouped by database and table). */
    public String getUniqueKey() {
        return uniqueKey;
    }

    public String getDatabase() {
        return database;
    }

    public String getTable() {
        return table;
    }

    /** The {@code columns} property, or null. */
    public String getColumns() {
        return columns;
    }

    /**
     * The properties as added, plus {@code db}, {@code table} and {@code columns} as the public
     * SDK keeps them (the connector does not send {@code db} and {@code table} as headers).
     */
    public Map<String, String> getProperties() {
        return properties;
    }

    public Optional<String> getProperty(String name) {
        return Optional.ofNullable(properties.get(name));
    }

    @Override
    public String toString() {
        return "StreamLoadTableProperties{" + database + "." + table + ", " + properties + "}";
    }

    /** Builds {@link StreamLoadTableProperties}; database and table are required. */
    public static class Builder {
        private String uniqueKey;
        private String database;
        private String table;
        private String columns;
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {}

        /** Copies database, table, columns and properties of {@code other}. */
        public Builder copyFrom(StreamLoadTableProperties other) {
            database(other.getDatabase());
            table(other.getTable());
            columns(other.getColumns());
            properties.putAll(other.getProperties());
            return this;
        }

        public Builder uniqueKey(String uniqueKey) {
            this.uniqueKey = uniqueKey;
            return this;
        }

        public Builder database(String database) {
            this.database = database;
            return this;
        }

        public Builder table(String table) {
            this.table = table;
            return this;
        }

        /** The Stream Load {@code columns} property (column list or mapping). */
        public Builder columns(String columns) {
            this.columns = columns;
            return this;
        }

        /** A Stream Load property (header) of this table, e.g. {@code partial_update}. */
        public Builder addProperty(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public Builder addProperties(Map<String, String> properties) {
            this.properties.putAll(properties);
            return this;
        }

        /** @throws IllegalArgumentException when database or table is missing */
        public StreamLoadTableProperties build() {
            if (database == null || database.trim().isEmpty() || table == null || table.trim().isEmpty()) {
                throw new IllegalArgumentException(
                        "StreamLoadTableProperties needs a database and a table, got database '"
                                + database + "' and table '" + table + "'");
            }
            properties.put("db", database);
            properties.put("table", table);
            if (columns != null) {
                properties.put("columns", columns);
            }
            return new StreamLoadTableProperties(this);
        }
    }
}
