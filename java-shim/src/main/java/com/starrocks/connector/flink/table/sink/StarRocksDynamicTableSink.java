package com.starrocks.connector.flink.table.sink;

import com.starrocks.connector.flink.sink.RowDataEncoder;
import com.starrocks.connector.flink.table.sink.v2.StarRocksSink;

import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkFunctionProvider;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;

import java.util.ArrayList;
import java.util.List;

/** The planner's view of a StarRocks sink table. */
public class StarRocksDynamicTableSink implements DynamicTableSink {
    private final StarRocksSinkOptions options;
    private final List<String> columns;
    private final List<LogicalType> types;
    private final Integer parallelism;

    public StarRocksDynamicTableSink(
            StarRocksSinkOptions options,
            List<String> columns,
            List<LogicalType> types,
            Integer parallelism) {
        this.options = options;
        this.columns = new ArrayList<>(columns);
        this.types = new ArrayList<>(types);
        this.parallelism = parallelism;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        // Upserts and deletes (PRIMARY KEY tables) come with table introspection.
        return ChangelogMode.insertOnly();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        RowDataEncoder encoder =
                new RowDataEncoder(options.getDatabaseName(), options.getTableName(), columns, types);
        if (options.useNewSinkApi()) {
            return SinkV2Provider.of(new StarRocksSink<RowData>(options.asMap(), encoder), parallelism);
        }
        return SinkFunctionProvider.of(
                new StarRocksDynamicSinkFunction<RowData>(options.asMap(), encoder), parallelism);
    }

    @Override
    public DynamicTableSink copy() {
        return new StarRocksDynamicTableSink(options, columns, types, parallelism);
    }

    @Override
    public String asSummaryString() {
        return "StarRocks";
    }
}
