package com.starrocks.connector.flink;

import com.starrocks.connector.flink.row.sink.StarRocksSinkRowBuilder;
import com.starrocks.connector.flink.sink.ObjectArrayEncoder;
import com.starrocks.connector.flink.sink.TableHeaders;
import com.starrocks.connector.flink.table.sink.SinkFunctionFactory;
import com.starrocks.connector.flink.table.sink.StarRocksDynamicSinkFunction;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;

import org.apache.flink.streaming.api.functions.sink.SinkFunction;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The DataStream entry points of the StarRocks sink. Both return a SinkFunction for
 * {@code stream.addSink(...)} that loads into {@code database-name}.{@code table-name}; records are
 * copied when the sink receives them, so they may be reused.
 */
public final class StarRocksSink {
    private StarRocksSink() {}

    /**
     * A sink of typed rows: {@code rowBuilder} fills an {@code Object[]} per record with one value
     * per column of {@code flinkTableSchema}, in schema order (see {@link StarRocksSinkRowBuilder}
     * for the Java types). A schema with a primary key means a PRIMARY KEY table: the array has
     * one more slot, the last, for the operation (upsert or delete).
     *
     * @throws com.starrocks.connector.flink.natives.StarRocksException for a column type that
     *     cannot be loaded yet, or a wildcard database or table
     */
    @SuppressWarnings("deprecation")
    public static <T> SinkFunction<T> sink(
            org.apache.flink.table.api.TableSchema flinkTableSchema,
            StarRocksSinkOptions sinkOptions,
            StarRocksSinkRowBuilder<T> rowBuilder) {
        List<LogicalType> types = new ArrayList<>();
        for (DataType t : flinkTableSchema.getFieldDataTypes()) {
            types.add(t.getLogicalType());
        }
        String database = sinkOptions.getDatabaseName();
        String table = sinkOptions.getTableName();
        ObjectArrayEncoder<T> encoder =
                new ObjectArrayEncoder<>(
                        database,
                        table,
                        Arrays.asList(flinkTableSchema.getFieldNames()),
                        types,
                        flinkTableSchema.getPrimaryKey().isPresent(),
                        TableHeaders.index(sinkOptions.getTablePropertiesList()).forTable(database, table),
                        rowBuilder);
        return new StarRocksDynamicSinkFunction<>(sinkOptions.asMap(), encoder);
    }

    /**
     * A sink of rows serialized already: each {@code String} is one row, a CSV line without the
     * row delimiter ({@code sink.properties.format} {@code csv}, the default) or one JSON object
     * ({@code json}).
     */
    public static SinkFunction<String> sink(StarRocksSinkOptions sinkOptions) {
        return SinkFunctionFactory.createSinkFunction(sinkOptions);
    }
}
