package com.starrocks.connector.flink.cdc;

import com.starrocks.connector.flink.natives.SqlResult;
import com.starrocks.connector.flink.natives.SqlText;
import com.starrocks.connector.flink.natives.StarRocksException;

import org.apache.flink.cdc.common.event.AddColumnEvent;
import org.apache.flink.cdc.common.event.AlterColumnTypeEvent;
import org.apache.flink.cdc.common.event.CreateTableEvent;
import org.apache.flink.cdc.common.event.DropColumnEvent;
import org.apache.flink.cdc.common.event.RenameColumnEvent;
import org.apache.flink.cdc.common.event.SchemaChangeEvent;
import org.apache.flink.cdc.common.event.TableId;
import org.apache.flink.cdc.common.schema.Column;
import org.apache.flink.cdc.common.schema.Schema;
import org.apache.flink.cdc.common.sink.MetadataApplier;
import org.apache.flink.cdc.common.types.DataType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static com.starrocks.connector.flink.natives.SqlText.literal;
import static com.starrocks.connector.flink.natives.SqlText.quote;

/**
 * Applies Flink CDC schema changes to StarRocks as DDL over {@code jdbc-url} (run by the engine:
 * the jar has no JDBC driver). It runs in the JobManager, before the sink writers see the change
 * and after they flushed the rows written before it.
 *
 * <p>Every change is idempotent, so that a pipeline restored from a checkpoint can replay it: the
 * table's current columns are read first, and a column that is already added, dropped or renamed
 * is left alone. An {@code ALTER TABLE} is asynchronous in StarRocks; its job is polled with
 * {@code SHOW ALTER TABLE COLUMN} until it finishes, at most {@code table.schema-change.timeout}.
 */
final class StarRocksMetadataApplier implements MetadataApplier {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(StarRocksMetadataApplier.class);
    private static final long POLL_MILLIS = 200;

    private final HashMap<String, String> connection;
    private final HashMap<String, String> tableProperties;
    private final Integer buckets;
    private final long schemaChangeTimeoutMillis;

    /**
     * @param connection sink options with {@code jdbc-url}, {@code username}, {@code password}
     * @param tableProperties {@code table.create.properties.*} without the prefix
     * @param buckets {@code table.create.num-buckets}, or null for StarRocks' default
     */
    StarRocksMetadataApplier(
            Map<String, String> connection, Map<String, String> tableProperties, Integer buckets, Duration schemaChangeTimeout) {
        this.connection = new HashMap<>(connection);
        this.tableProperties = new HashMap<>(tableProperties);
        this.buckets = buckets;
        this.schemaChangeTimeoutMillis = schemaChangeTimeout.toMillis();
    }

    @Override
    public void applySchemaChange(SchemaChangeEvent event) {
        TableId id = event.tableId();
        String table = qualified(id);
        try {
            if (event instanceof CreateTableEvent) {
                createTable(id, ((CreateTableEvent) event).getSchema());
            } else if (event instanceof AddColumnEvent) {
                addColumns(id, (AddColumnEvent) event);
            } else if (event instanceof DropColumnEvent) {
                dropColumns(id, (DropColumnEvent) event);
            } else if (event instanceof RenameColumnEvent) {
                renameColumns(id, (RenameColumnEvent) event);
            } else if (event instanceof AlterColumnTypeEvent) {
                alterColumnTypes(id, (AlterColumnTypeEvent) event);
            } else if (event.getClass().getSimpleName().equals("TruncateTableEvent")) {
                execute("TRUNCATE TABLE " + table);
            } else if (event.getClass().getSimpleName().equals("DropTableEvent")) {
                execute("DROP TABLE IF EXISTS " + table);
            } else {
                throw new UnsupportedOperationException(
                        "table " + id + ": the StarRocks pipeline sink cannot apply " + event);
            }
        } catch (StarRocksException | UnsupportedOperationException e) {
            throw new IllegalStateException(
                    "StarRocks pipeline sink, table " + id + ": cannot apply " + event + ": " + e.getMessage(), e);
        }
    }

    private void createTable(TableId id, Schema schema) {
        String table = qualified(id);
        List<String> keys = schema.primaryKeys();
        if (keys.isEmpty()) {
            throw new UnsupportedOperationException(
                    "table " + id + " has no primary key: the StarRocks pipeline sink creates and loads"
                            + " PRIMARY KEY tables only");
        }
        execute("CREATE DATABASE IF NOT EXISTS " + quote(CdcEventEncoder.database(id)));
        if (!columns(id).isEmpty()) {
            LOG.info("{} exists already; not created again", table);
            return;
        }
        SqlText.CreatePrimaryKeyTable create =
                new SqlText.CreatePrimaryKeyTable(table, keys)
                        .comment(schema.comment())
                        .buckets(buckets)
                        .properties(tableProperties);
        for (Column c : schema.getColumns()) {
            create.column(c.getName(), CdcTypes.starRocksType(c.getType(), "table " + id + ", column " + c.getName()),
                    !c.getType().isNullable(), c.getComment());
        }
        execute(create.sql());
    }

    private void addColumns(TableId id, AddColumnEvent event) {
        for (AddColumnEvent.ColumnWithPosition added : event.getAddedColumns()) {
            Map<String, String> current = columns(id);
            Column c = added.getAddColumn();
            if (current.containsKey(c.getName())) {
                LOG.info("{}: column {} exists already; not added again", qualified(id), c.getName());
                continue;
            }
            // Added columns are nullable: the rows already in the table have no value for them.
            StringBuilder sql =
                    new StringBuilder("ALTER TABLE ").append(qualified(id)).append(" ADD COLUMN ").append(definition(id, c, false));
            String position = position(added, new ArrayList<>(current.keySet()));
            if (position != null) {
                sql.append(' ').append(position);
            }
            alter(id, sql.toString());
        }
    }

    /** {@code FIRST}, {@code AFTER x}, or null for the end. */
    private static String position(AddColumnEvent.ColumnWithPosition added, List<String> current) {
        String other = added.getExistedColumnName();
        switch (added.getPosition()) {
            case FIRST:
                return "FIRST";
            case AFTER:
                return "AFTER " + quote(other);
            case BEFORE:
                int at = current.indexOf(other);
                if (at < 0) {
                    throw new UnsupportedOperationException("column " + other + " to add before does not exist");
                }
                return at == 0 ? "FIRST" : "AFTER " + quote(current.get(at - 1));
            default:
                return null;
        }
    }

    private void dropColumns(TableId id, DropColumnEvent event) {
        for (String name : event.getDroppedColumnNames()) {
            if (!columns(id).containsKey(name)) {
                LOG.info("{}: column {} is gone already; not dropped again", qualified(id), name);
                continue;
            }
            alter(id, "ALTER TABLE " + qualified(id) + " DROP COLUMN " + quote(name));
        }
    }

    private void renameColumns(TableId id, RenameColumnEvent event) {
        for (Map.Entry<String, String> rename : event.getNameMapping().entrySet()) {
            Map<String, String> current = columns(id);
            if (!current.containsKey(rename.getKey()) && current.containsKey(rename.getValue())) {
                LOG.info("{}: column {} is renamed to {} already", qualified(id), rename.getKey(), rename.getValue());
                continue;
            }
            alter(id, "ALTER TABLE " + qualified(id) + " RENAME COLUMN " + quote(rename.getKey()) + " TO "
                    + quote(rename.getValue()));
        }
    }

    private void alterColumnTypes(TableId id, AlterColumnTypeEvent event) {
        for (Map.Entry<String, DataType> change : event.getTypeMapping().entrySet()) {
            String name = change.getKey();
            String type = CdcTypes.starRocksType(change.getValue(), "table " + id + ", column " + name);
            String current = columns(id).get(name);
            if (current == null) {
                throw new UnsupportedOperationException("column " + name + " does not exist");
            }
            if (sameType(current, type)) {
                LOG.info("{}: column {} is {} already", qualified(id), name, type);
                continue;
            }
            alter(id, "ALTER TABLE " + qualified(id) + " MODIFY COLUMN " + quote(name) + " " + type + " NULL");
        }
    }

    /**
     * Whether {@code information_schema}'s COLUMN_TYPE (e.g. {@code int(11)}, {@code tinyint(1)}
     * for BOOLEAN) is the type of a column definition (e.g. {@code INT}).
     */
    static boolean sameType(String columnType, String definition) {
        String shown = columnType.toLowerCase(Locale.ROOT).replaceAll("^(tinyint|smallint|int|bigint|largeint)\\(\\d+\\)$", "$1");
        String wanted = definition.toLowerCase(Locale.ROOT);
        return shown.equals(wanted) || (wanted.equals("boolean") && columnType.equalsIgnoreCase("tinyint(1)"));
    }

    /** Runs an {@code ALTER TABLE} and waits until StarRocks' job for it is FINISHED. */
    private void alter(TableId id, String sql) {
        execute(sql);
        long deadline = System.currentTimeMillis() + schemaChangeTimeoutMillis;
        String query =
                "SHOW ALTER TABLE COLUMN FROM " + quote(CdcEventEncoder.database(id)) + " WHERE TableName = "
                        + literal(id.getTableName()) + " ORDER BY JobId DESC LIMIT 1";
        while (true) {
            SqlResult jobs = execute(query);
            String state = jobs.rows().isEmpty() ? "FINISHED" : jobs.value(0, "State");
            if ("FINISHED".equalsIgnoreCase(state)) {
                return;
            }
            if ("CANCELLED".equalsIgnoreCase(state)) {
                throw new UnsupportedOperationException(
                        "StarRocks cancelled `" + sql + "`: " + jobs.value(0, "Msg"));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new UnsupportedOperationException(
                        "`" + sql + "` did not finish within table.schema-change.timeout ("
                                + schemaChangeTimeoutMillis + " ms); its job is " + state);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for `" + sql + "`", e);
            }
        }
    }

    /** The table's columns (name to StarRocks type, e.g. {@code varchar(30)}) in order; empty if none. */
    private Map<String, String> columns(TableId id) {
        SqlResult r =
                execute("select COLUMN_NAME, COLUMN_TYPE from information_schema.COLUMNS where TABLE_SCHEMA = "
                        + literal(CdcEventEncoder.database(id)) + " and TABLE_NAME = " + literal(id.getTableName())
                        + " order by ORDINAL_POSITION");
        Map<String, String> columns = new LinkedHashMap<>();
        for (List<String> row : r.rows()) {
            columns.put(row.get(0), row.get(1));
        }
        return columns;
    }

    private static String definition(TableId id, Column c, boolean notNull) {
        String type = CdcTypes.starRocksType(c.getType(), "table " + id + ", column " + c.getName());
        StringBuilder sb = new StringBuilder(quote(c.getName())).append(' ').append(type);
        sb.append(notNull ? " NOT NULL" : " NULL");
        if (c.getComment() != null && !c.getComment().isEmpty()) {
            sb.append(" COMMENT ").append(literal(c.getComment()));
        }
        return sb.toString();
    }

    private SqlResult execute(String sql) {
        LOG.info("StarRocks pipeline sink: {}", sql);
        return SqlResult.execute(connection, sql);
    }

    private static String qualified(TableId id) {
        return SqlText.qualified(CdcEventEncoder.database(id), id.getTableName());
    }
}
