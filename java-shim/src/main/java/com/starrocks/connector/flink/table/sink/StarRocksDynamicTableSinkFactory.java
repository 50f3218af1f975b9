package com.starrocks.connector.flink.table.sink;

import com.starrocks.connector.flink.natives.StarRocksException;
import com.starrocks.connector.flink.row.RowDataFrames;
import com.starrocks.connector.flink.sink.EngineOptions;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.logical.LogicalType;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code 'connector' = 'starrocks'} for Flink SQL sinks. Every option key of the public connector
 * is registered with its default; unknown keys other than {@code sink.properties.*} are rejected,
 * and options whose behaviour is not built yet fail validation with a message that says so.
 */
public class StarRocksDynamicTableSinkFactory implements DynamicTableSinkFactory {
    public static final String IDENTIFIER = "starrocks";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return new LinkedHashSet<>(StarRocksSinkOptions.requiredOptions());
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return new LinkedHashSet<>(StarRocksSinkOptions.optionalOptions());
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validateExcept(StarRocksSinkOptions.SINK_PROPERTIES_PREFIX);
        StarRocksSinkOptions options =
                StarRocksSinkOptions.of(context.getCatalogTable().getOptions());
        String table = context.getObjectIdentifier().asSummaryString();
        try {
            EngineOptions.validate(options.asMap());
        } catch (StarRocksException e) {
            throw new ValidationException(
                    "Invalid options of StarRocks sink table " + table + ": " + e.getMessage(), e);
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
                        "StarRocks sink table " + table + ", column '" + column.getName() + "': " + why);
            }
            columns.add(column.getName());
            types.add(type);
        }
        Integer parallelism = helper.getOptions().get(StarRocksSinkOptions.SINK_PARALLELISM);
        return new StarRocksDynamicTableSink(options, columns, types, parallelism);
    }
}
