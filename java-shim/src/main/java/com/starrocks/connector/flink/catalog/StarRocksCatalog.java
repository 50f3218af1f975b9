package com.starrocks.connector.flink.catalog;

import com.starrocks.connector.flink.natives.SqlResult;
import com.starrocks.connector.flink.natives.SqlText;
import com.starrocks.connector.flink.natives.StarRocksException;
import com.starrocks.connector.flink.table.sink.StarRocksDynamicTableSinkFactory;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;

import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.AbstractCatalog;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogDatabase;
import org.apache.flink.table.catalog.CatalogDatabaseImpl;
import org.apache.flink.table.catalog.CatalogFunction;
import org.apache.flink.table.catalog.CatalogPartition;
import org.apache.flink.table.catalog.CatalogPartitionSpec;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.ResolvedCatalogBaseTable;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.catalog.exceptions.DatabaseAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotEmptyException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotExistException;
import org.apache.flink.table.catalog.exceptions.FunctionNotExistException;
import org.apache.flink.table.catalog.exceptions.PartitionNotExistException;
import org.apache.flink.table.catalog.exceptions.TableAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;
import org.apache.flink.table.catalog.exceptions.TableNotPartitionedException;
import org.apache.flink.table.catalog.stats.CatalogColumnStatistics;
import org.apache.flink.table.catalog.stats.CatalogTableStatistics;
import org.apache.flink.table.expressions.Expression;
import org.apache.flink.table.factories.Factory;
import org.apache.flink.table.types.logical.LogicalType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Flink catalog of a StarRocks cluster: its databases and tables, read and changed through
 * {@code jdbc-url} (the engine speaks StarRocks' MySQL protocol; the jar has no JDBC driver).
 * A table read from it is a {@code 'connector' = 'starrocks'} sink with the catalog's connection
 * and {@code sink.*} options, so {@code INSERT INTO catalog.db.table} needs no CREATE TABLE.
 * Tables it creates are PRIMARY KEY tables (the Flink table must declare one). Views, functions,
 * partitions and statistics are not kept; changing them fails with a message that says so.
 */
public class StarRocksCatalog extends AbstractCatalog {
    private static final List<String> SYSTEM_DATABASES = Arrays.asList("information_schema", "_statistics_", "sys");

    private final Map<String, String> connection;
    private final Map<String, String> sinkOptions;
    private final Map<String, String> tableProperties;
    private final Integer buckets;

    /**
     * @param connection {@code jdbc-url}, {@code load-url}, {@code username}, {@code password}
     * @param sinkOptions options every table of the catalog gets ({@code sink.*})
     * @param tableProperties {@code PROPERTIES} of the tables the catalog creates
     * @param buckets buckets of the tables the catalog creates, or null for StarRocks' default
     */
    public StarRocksCatalog(
            String name,
            String defaultDatabase,
            Map<String, String> connection,
            Map<String, String> sinkOptions,
            Map<String, String> tableProperties,
            Integer buckets) {
        super(name, defaultDatabase);
        this.connection = new HashMap<>(connection);
        this.sinkOptions = new HashMap<>(sinkOptions);
        this.tableProperties = new HashMap<>(tableProperties);
        this.buckets = buckets;
    }

    /** The sink factory of the catalog's tables, which knows the password their options lack. */
    @Override
    public Optional<Factory> getFactory() {
        return Optional.<Factory>of(new StarRocksDynamicTableSinkFactory(connection.get(StarRocksSinkOptions.PASSWORD.key())));
    }

    /**
     * Checks that StarRocks answers. A failure is a {@link ValidationException}, not a
     * {@link CatalogException}: Flink (1.15 to 2.x) reports a CatalogException from CREATE CATALOG
     * as "Could not execute CREATE CATALOG" followed by every catalog property, the password
     * included.
     */
    @Override
    public void open() {
        try {
            SqlResult.execute(connection, "select current_version()");
        } catch (StarRocksException e) {
            throw new ValidationException("StarRocks catalog " + getName() + " cannot be opened: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {}

    // ------------------------------------------------------------------ databases

    @Override
    public List<String> listDatabases() {
        List<String> names = new ArrayList<>();
        for (List<String> row : query("select SCHEMA_NAME from information_schema.SCHEMATA").rows()) {
            if (!SYSTEM_DATABASES.contains(row.get(0).toLowerCase())) {
                names.add(row.get(0));
            }
        }
        Collections.sort(names);
        return names;
    }

    @Override
    public boolean databaseExists(String databaseName) {
        return !query("select SCHEMA_NAME from information_schema.SCHEMATA where SCHEMA_NAME = " + SqlText.literal(databaseName))
                .rows()
                .isEmpty();
    }

    @Override
    public CatalogDatabase getDatabase(String databaseName) throws DatabaseNotExistException {
        if (!databaseExists(databaseName)) {
            throw new DatabaseNotExistException(getName(), databaseName);
        }
        return new CatalogDatabaseImpl(Collections.<String, String>emptyMap(), null);
    }

    @Override
    public void createDatabase(String name, CatalogDatabase database, boolean ignoreIfExists)
            throws DatabaseAlreadyExistException {
        if (databaseExists(name)) {
            if (ignoreIfExists) {
                return;
            }
            throw new DatabaseAlreadyExistException(getName(), name);
        }
        query("CREATE DATABASE IF NOT EXISTS " + SqlText.quote(name));
    }

    @Override
    public void dropDatabase(String name, boolean ignoreIfNotExists, boolean cascade)
            throws DatabaseNotExistException, DatabaseNotEmptyException {
        if (!databaseExists(name)) {
            if (ignoreIfNotExists) {
                return;
            }
            throw new DatabaseNotExistException(getName(), name);
        }
        if (!cascade && !listTables(name).isEmpty()) {
            throw new DatabaseNotEmptyException(getName(), name);
        }
        query("DROP DATABASE " + SqlText.quote(name));
    }

    @Override
    public void alterDatabase(String name, CatalogDatabase newDatabase, boolean ignoreIfNotExists) {
        throw unsupported("ALTER DATABASE");
    }

    // ------------------------------------------------------------------ tables

    @Override
    public List<String> listTables(String databaseName) throws DatabaseNotExistException {
        if (!databaseExists(databaseName)) {
            throw new DatabaseNotExistException(getName(), databaseName);
        }
        List<String> names = new ArrayList<>();
        for (List<String> row : query("select TABLE_NAME from information_schema.TABLES where TABLE_SCHEMA = "
                + SqlText.literal(databaseName)).rows()) {
            names.add(row.get(0));
        }
        Collections.sort(names);
        return names;
    }

    @Override
    public List<String> listViews(String databaseName) {
        return Collections.emptyList();
    }

    @Override
    public boolean tableExists(ObjectPath path) {
        return !columns(path).rows().isEmpty();
    }

    @Override
    public CatalogBaseTable getTable(ObjectPath path) throws TableNotExistException {
        SqlResult columns = columns(path);
        if (columns.rows().isEmpty()) {
            throw new TableNotExistException(getName(), path);
        }
        Schema.Builder schema = Schema.newBuilder();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < columns.rows().size(); i++) {
            String name = columns.value(i, "COLUMN_NAME");
            boolean nullable = "YES".equalsIgnoreCase(columns.value(i, "IS_NULLABLE"));
            schema.column(name, StarRocksTypes.toFlink(
                    columns.value(i, "DATA_TYPE"),
                    columns.value(i, "COLUMN_TYPE"),
                    columns.value(i, "COLUMN_SIZE"),
                    columns.value(i, "DECIMAL_DIGITS"),
                    nullable,
                    "table " + path.getFullName() + ", column " + name));
            if ("PRI".equalsIgnoreCase(columns.value(i, "COLUMN_KEY"))) {
                keys.add(name);
            }
        }
        if (!keys.isEmpty()) {
            schema.primaryKey(keys);
        }
        // Without the password: Flink shows a table's options (SHOW CREATE TABLE); the catalog's
        // factory (getFactory) adds it when it creates the sink.
        Map<String, String> options = new HashMap<>(sinkOptions);
        options.putAll(connection);
        options.remove(StarRocksSinkOptions.PASSWORD.key());
        options.put("connector", StarRocksDynamicTableSinkFactory.IDENTIFIER);
        options.put("database-name", path.getDatabaseName());
        options.put("table-name", path.getObjectName());
        return CatalogTables.of(schema.build(), "", options);
    }

    /**
     * Creates a PRIMARY KEY table: the Flink table's key columns first, {@code DISTRIBUTED BY
     * HASH} of the key, the catalog's {@code table.num-buckets} and {@code table.properties.*}.
     */
    @Override
    public void createTable(ObjectPath path, CatalogBaseTable table, boolean ignoreIfExists)
            throws TableAlreadyExistException, DatabaseNotExistException {
        if (!databaseExists(path.getDatabaseName())) {
            throw new DatabaseNotExistException(getName(), path.getDatabaseName());
        }
        if (tableExists(path)) {
            if (ignoreIfExists) {
                return;
            }
            throw new TableAlreadyExistException(getName(), path);
        }
        if (!(table instanceof ResolvedCatalogBaseTable)) {
            throw new CatalogException("table " + path.getFullName() + ": the StarRocks catalog needs a resolved table");
        }
        ResolvedSchema schema = ((ResolvedCatalogBaseTable<?>) table).getResolvedSchema();
        Optional<UniqueConstraint> key = schema.getPrimaryKey();
        if (!key.isPresent()) {
            throw new CatalogException("table " + path.getFullName() + ": the StarRocks catalog creates PRIMARY KEY"
                    + " tables only; declare PRIMARY KEY (...) NOT ENFORCED");
        }
        SqlText.CreatePrimaryKeyTable create =
                new SqlText.CreatePrimaryKeyTable(qualified(path), key.get().getColumns())
                        .comment(table.getComment())
                        .buckets(buckets)
                        .properties(tableProperties);
        for (Column c : schema.getColumns()) {
            if (c.isPhysical()) {
                LogicalType type = c.getDataType().getLogicalType();
                create.column(
                        c.getName(),
                        StarRocksTypes.toStarRocks(type, "table " + path.getFullName() + ", column " + c.getName()),
                        !type.isNullable(),
                        c.getComment().orElse(null));
            }
        }
        query(create.sql());
    }

    @Override
    public void dropTable(ObjectPath path, boolean ignoreIfNotExists) throws TableNotExistException {
        if (!tableExists(path)) {
            if (ignoreIfNotExists) {
                return;
            }
            throw new TableNotExistException(getName(), path);
        }
        query("DROP TABLE " + qualified(path));
    }

    @Override
    public void renameTable(ObjectPath path, String newTableName, boolean ignoreIfNotExists) {
        throw unsupported("ALTER TABLE ... RENAME");
    }

    @Override
    public void alterTable(ObjectPath path, CatalogBaseTable newTable, boolean ignoreIfNotExists) {
        throw unsupported("ALTER TABLE");
    }

    // ------------------------------------------------------------------ what the catalog does not keep

    @Override
    public List<CatalogPartitionSpec> listPartitions(ObjectPath path) throws TableNotPartitionedException {
        throw new TableNotPartitionedException(getName(), path);
    }

    @Override
    public List<CatalogPartitionSpec> listPartitions(ObjectPath path, CatalogPartitionSpec spec)
            throws TableNotPartitionedException {
        throw new TableNotPartitionedException(getName(), path);
    }

    @Override
    public List<CatalogPartitionSpec> listPartitionsByFilter(ObjectPath path, List<Expression> filters)
            throws TableNotPartitionedException {
        throw new TableNotPartitionedException(getName(), path);
    }

    @Override
    public CatalogPartition getPartition(ObjectPath path, CatalogPartitionSpec spec) throws PartitionNotExistException {
        throw new PartitionNotExistException(getName(), path, spec);
    }

    @Override
    public boolean partitionExists(ObjectPath path, CatalogPartitionSpec spec) {
        return false;
    }

    @Override
    public void createPartition(ObjectPath path, CatalogPartitionSpec spec, CatalogPartition partition, boolean ignoreIfExists) {
        throw unsupported("creating partitions");
    }

    @Override
    public void dropPartition(ObjectPath path, CatalogPartitionSpec spec, boolean ignoreIfNotExists) {
        throw unsupported("dropping partitions");
    }

    @Override
    public void alterPartition(ObjectPath path, CatalogPartitionSpec spec, CatalogPartition partition, boolean ignoreIfNotExists) {
        throw unsupported("altering partitions");
    }

    @Override
    public List<String> listFunctions(String databaseName) {
        return Collections.emptyList();
    }

    @Override
    public CatalogFunction getFunction(ObjectPath path) throws FunctionNotExistException {
        throw new FunctionNotExistException(getName(), path);
    }

    @Override
    public boolean functionExists(ObjectPath path) {
        return false;
    }

    @Override
    public void createFunction(ObjectPath path, CatalogFunction function, boolean ignoreIfExists) {
        throw unsupported("functions");
    }

    @Override
    public void alterFunction(ObjectPath path, CatalogFunction function, boolean ignoreIfNotExists) {
        throw unsupported("functions");
    }

    @Override
    public void dropFunction(ObjectPath path, boolean ignoreIfNotExists) {
        throw unsupported("functions");
    }

    @Override
    public CatalogTableStatistics getTableStatistics(ObjectPath path) {
        return CatalogTableStatistics.UNKNOWN;
    }

    @Override
    public CatalogColumnStatistics getTableColumnStatistics(ObjectPath path) {
        return CatalogColumnStatistics.UNKNOWN;
    }

    @Override
    public CatalogTableStatistics getPartitionStatistics(ObjectPath path, CatalogPartitionSpec spec) {
        return CatalogTableStatistics.UNKNOWN;
    }

    @Override
    public CatalogColumnStatistics getPartitionColumnStatistics(ObjectPath path, CatalogPartitionSpec spec) {
        return CatalogColumnStatistics.UNKNOWN;
    }

    @Override
    public void alterTableStatistics(ObjectPath path, CatalogTableStatistics statistics, boolean ignoreIfNotExists) {
        throw unsupported("statistics");
    }

    @Override
    public void alterTableColumnStatistics(ObjectPath path, CatalogColumnStatistics statistics, boolean ignoreIfNotExists) {
        throw unsupported("statistics");
    }

    @Override
    public void alterPartitionStatistics(
            ObjectPath path, CatalogPartitionSpec spec, CatalogTableStatistics statistics, boolean ignoreIfNotExists) {
        throw unsupported("statistics");
    }

    @Override
    public void alterPartitionColumnStatistics(
            ObjectPath path, CatalogPartitionSpec spec, CatalogColumnStatistics statistics, boolean ignoreIfNotExists) {
        throw unsupported("statistics");
    }

    // ------------------------------------------------------------------ helpers

    private SqlResult columns(ObjectPath path) {
        return query("select COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, COLUMN_SIZE, DECIMAL_DIGITS, IS_NULLABLE, COLUMN_KEY"
                + " from information_schema.COLUMNS where TABLE_SCHEMA = " + SqlText.literal(path.getDatabaseName())
                + " and TABLE_NAME = " + SqlText.literal(path.getObjectName()) + " order by ORDINAL_POSITION");
    }

    private SqlResult query(String sql) {
        try {
            return SqlResult.execute(connection, sql);
        } catch (StarRocksException e) {
            throw new CatalogException("StarRocks catalog " + getName() + ": " + e.getMessage(), e);
        }
    }

    private CatalogException unsupported(String what) {
        return new CatalogException("StarRocks catalog " + getName() + ": " + what + " is not supported");
    }

    private static String qualified(ObjectPath path) {
        return SqlText.qualified(path.getDatabaseName(), path.getObjectName());
    }
}
