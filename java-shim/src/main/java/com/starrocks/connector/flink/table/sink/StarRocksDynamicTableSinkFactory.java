package com.starrocks.connector.flink.table.sink;

import com.starrocks.connector.flink.natives.StarRocksException;
import com.starrocks.connector.flink.row.RowDataFrames;
import com.starrocks.connector.flink.sink.EngineOptions;
import com.starrocks.connector.flink.sink.FlinkVersionGuard;
import com.starrocks.connector.flink.sink.TableDescription;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.api.config.TableConfigOptions;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.logical.LogicalType;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code 'connector' = 'starrocks'} for Flink SQL sinks. Every option key of the public connector
 * is registered with its default; unknown keys other than {@code sink.properties.*} are rejected,
 * and options whose behaviour is not built yet fail validation with a message that says so. The
 * StarRocks table is read through {@code jdbc-url} at planning time and checked against the Flink
 * table (key model, columns, types).
 */
public class StarRocksDynamicTableSinkFactory implements DynamicTableSinkFactory {
    public static final String IDENTIFIER = "starrocks";

    /** The password of the catalog whose tables this factory serves; null: tables carry their own. */
    private final String catalogPassword;

    /** The factory of {@code 'connector' = 'starrocks'} tables. */
    public StarRocksDynamicTableSinkFactory() {
        this(null);
    }

    /**
     * The factory a StarRocks catalog gives Flink for its tables, which it hands out without the
     * password (Flink shows table options, e.g. in SHOW CREATE TABLE): this one adds
     * {@code catalogPassword} to a table that has none.
     */
    public StarRocksDynamicTableSinkFactory(String catalogPassword) {
        this.catalogPassword = catalogPassword;
    }

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        Set<ConfigOption<?>> required = new LinkedHashSet<>(StarRocksSinkOptions.requiredOptions());
        if (catalogPassword != null) {
            required.remove(StarRocksSinkOptions.PASSWORD);
        }
        return required;
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> optional = new LinkedHashSet<>(StarRocksSinkOptions.optionalOptions());
        if (catalogPassword != null) {
            optional.add(StarRocksSinkOptions.PASSWORD);
        }
        return optional;
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FlinkVersionGuard.check();
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validateExcept(StarRocksSinkOptions.SINK_PROPERTIES_PREFIX);
        Map<String, String> given = new HashMap<>(context.getCatalogTable().getOptions());
        if (catalogPassword != null) {
            given.putIfAbsent(StarRocksSinkOptions.PASSWORD.key(), catalogPassword);
        }
        StarRocksSinkOptions options = StarRocksSinkOptions.of(given);
        String flinkTable = context.getObjectIdentifier().asSummaryString();
        try {
            EngineOptions.validate(options.asMap());
        } catch (StarRocksException e) {
            throw new ValidationException(
                    "Invalid options of StarRocks sink table " + flinkTable + ": " + e.getMessage(), e);
        }

        ResolvedSchema schema = context.getCatalogTable().getResolvedSchema();
        List<String> columns = new ArrayList<>();
        List<LogicalType> types = new ArrayList<>();
        for (Column column : schema.getColumns()) {
            if (!column.isPhysical()) {
                continue;
            }
            LogicalType type = column.getDataType().getLogicalType();
            String why = RowDataFrames.unsupportedReason(type);
            if (why != null) {
                throw new ValidationException(
                        "StarRocks sink table " + flinkTable + ", column '" + column.getName() + "': " + why);
            }
            columns.add(column.getName());
            types.add(type);
        }
        List<String> flinkKey =
                schema.getPrimaryKey().isPresent()
                        ? schema.getPrimaryKey().get().getColumns()
                        : Collections.<String>emptyList();

        String starrocksTable = options.getDatabaseName() + "." + options.getTableName();
        TableDescription description;
        try {
            description =
                    TableDescription.describe(options.asMap(), options.getDatabaseName(), options.getTableName());
        } catch (StarRocksException e) {
            throw new ValidationException(
                    "StarRocks sink table " + flinkTable + ": cannot read " + starrocksTable + ": " + e.getMessage(), e);
        }
        boolean primaryKey =
                SinkSchemaCheck.check(
                        starrocksTable,
                        columns,
                        types,
                        flinkKey,
                        description,
                        options.asMap().containsKey(StarRocksSinkOptions.SINK_PROPERTIES_PREFIX + "columns"));
        Integer parallelism = helper.getOptions().get(StarRocksSinkOptions.SINK_PARALLELISM);
        return new StarRocksDynamicTableSink(
                flinkTable, options, columns, types, description, primaryKey, parallelism, sessionZone(context));
    }

    /** {@code table.local-time-zone}: "default" is the JVM's zone, as Flink reads it. */
    private static ZoneId sessionZone(Context context) {
        String zone = context.getConfiguration().get(TableConfigOptions.LOCAL_TIME_ZONE);
        return TableConfigOptions.LOCAL_TIME_ZONE.defaultValue().equals(zone) ? ZoneId.systemDefault() : ZoneId.of(zone);
    }
}
