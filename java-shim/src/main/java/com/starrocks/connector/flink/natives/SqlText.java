package com.starrocks.connector.flink.natives;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** StarRocks SQL text: quoted names and strings, and the CREATE TABLE of PRIMARY KEY tables. */
public final class SqlText {
    private SqlText() {}

    /** A back-quoted identifier. */
    public static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    /** A single-quoted string literal. */
    public static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** {@code `db`.`table`}. */
    public static String qualified(String database, String table) {
        return quote(database) + "." + quote(table);
    }

    /**
     * The {@code CREATE TABLE} of a PRIMARY KEY table as StarRocks wants it: the key columns first
     * (in key order), {@code DISTRIBUTED BY HASH} of the key.
     */
    public static final class CreatePrimaryKeyTable {
        private final String table;
        private final List<String> keys;
        private final List<String> keyDefinitions = new ArrayList<>();
        private final List<String> otherDefinitions = new ArrayList<>();
        private String comment;
        private Integer buckets;
        private Map<String, String> properties = new TreeMap<>();

        /** @param table the qualified name, see {@link #qualified} */
        public CreatePrimaryKeyTable(String table, List<String> keys) {
            this.table = table;
            this.keys = new ArrayList<>(keys);
            for (int i = 0; i < keys.size(); i++) {
                keyDefinitions.add(null);
            }
        }

        /** A column (key columns are NOT NULL whatever {@code notNull} says). */
        public CreatePrimaryKeyTable column(String name, String type, boolean notNull, String columnComment) {
            int key = keys.indexOf(name);
            StringBuilder sb = new StringBuilder(quote(name)).append(' ').append(type);
            sb.append(key >= 0 || notNull ? " NOT NULL" : " NULL");
            if (columnComment != null && !columnComment.isEmpty()) {
                sb.append(" COMMENT ").append(literal(columnComment));
            }
            if (key >= 0) {
                keyDefinitions.set(key, sb.toString());
            } else {
                otherDefinitions.add(sb.toString());
            }
            return this;
        }

        public CreatePrimaryKeyTable comment(String tableComment) {
            this.comment = tableComment;
            return this;
        }

        /** @param count null for StarRocks' default */
        public CreatePrimaryKeyTable buckets(Integer count) {
            this.buckets = count;
            return this;
        }

        public CreatePrimaryKeyTable properties(Map<String, String> tableProperties) {
            this.properties = new TreeMap<>(tableProperties);
            return this;
        }

        /** @throws IllegalStateException when a key column was not given */
        public String sql() {
            StringBuilder sql = new StringBuilder("CREATE TABLE ").append(table).append(" (");
            List<String> all = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                if (keyDefinitions.get(i) == null) {
                    throw new IllegalStateException("primary key column " + keys.get(i) + " is not a column of " + table);
                }
                all.add(keyDefinitions.get(i));
            }
            all.addAll(otherDefinitions);
            sql.append(String.join(", ", all));
            StringBuilder keyList = new StringBuilder();
            for (String k : keys) {
                keyList.append(keyList.length() == 0 ? "" : ", ").append(quote(k));
            }
            sql.append(") PRIMARY KEY (").append(keyList).append(')');
            if (comment != null && !comment.isEmpty()) {
                sql.append(" COMMENT ").append(literal(comment));
            }
            sql.append(" DISTRIBUTED BY HASH (").append(keyList).append(')');
            if (buckets != null) {
                sql.append(" BUCKETS ").append(buckets);
            }
            if (!properties.isEmpty()) {
                List<String> props = new ArrayList<>();
                for (Map.Entry<String, String> p : properties.entrySet()) {
                    props.add(literal(p.getKey()) + " = " + literal(p.getValue()));
                }
                sql.append(" PROPERTIES (").append(String.join(", ", props)).append(')');
            }
            return sql.toString();
        }
    }
}
