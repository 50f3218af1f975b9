package com.starrocks.connector.flink;

import com.starrocks.connector.flink.row.sink.StarRocksSinkRowBuilder;
import com.starrocks.connector.flink.sink.FlinkVersionGuard;
import com.starrocks.connector.flink.sink.ObjectArrayEncoder;
import com.starrocks.connector.flink.sink.SinkSchema;
import com.starrocks.connector.flink.table.sink.SinkFunctionFactory;
import com.starrocks.connector.flink.table.sink.StarRocksDynamicSinkFunction;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;

import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The DataStream entry points of the StarRocks sink (Flink 1.x). Each returns a SinkFunction for
 * {@code stream.addSink(...)} that loads into {@code database-name}.{@code table-name}; records are
 * copied when the sink receives them, so they may be reused.
 */
@SuppressWarnings("deprecation") // SinkFunction is deprecated from Flink 1.20, TableSchema from 1.13
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
    public static <T> org.apache.flink.streaming.api.functions.sink.SinkFunction<T> sink(
            org.apache.flink.table.api.TableSchema flinkTableSchema,
            StarRocksSinkOptions sinkOptions,
            StarRocksSinkRowBuilder<T> rowBuilder) {
        FlinkVersionGuard.check();
        List<LogicalType> types = new ArrayList<>();
        for (DataType t : flinkTableSchema.getFieldDataTypes()) {
            types.add(t.getLogicalType());
        }
        SinkSchema schema =
                new SinkSchema(
                        Arrays.asList(flinkTableSchema.getFieldNames()),
                        types,
                        flinkTableSchema.getPrimaryKey().isPresent());
        return typed(schema, sinkOptions, rowBuilder);
    }

    /**
     * The same typed sink for a {@link ResolvedSchema} (its physical columns), the schema type
     * that also exists on Flink 2.x.
     */
    public static <T> org.apache.flink.streaming.api.functions.sink.SinkFunction<T> sink(
            ResolvedSchema schema, StarRocksSinkOptions sinkOptions, StarRocksSinkRowBuilder<T> rowBuilder) {
        FlinkVersionGuard.check();
        return typed(SinkSchema.of(schema), sinkOptions, rowBuilder);
    }

    /**
     * A sink of rows serialized already: each {@code String} is one row, a CSV line without the
     * row delimiter ({@code sink.properties.format} {@code csv}, the default) or one JSON object
     * ({@code json}).
     */
    public static org.apache.flink.streaming.api.functions.sink.SinkFunction<String> sink(StarRocksSinkOptions sinkOptions) {
        FlinkVersionGuard.check();
        return SinkFunctionFactory.createSinkFunction(sinkOptions);
    }

    private static <T> StarRocksDynamicSinkFunction<T> typed(
            SinkSchema schema, StarRocksSinkOptions sinkOptions, StarRocksSinkRowBuilder<T> rowBuilder) {
        ObjectArrayEncoder<T> encoder =
                ObjectArrayEncoder.forSinkTable(sinkOptions, schema.names, schema.types, schema.primaryKey, rowBuilder);
        return new StarRocksDynamicSinkFunction<>(sinkOptions.asMap(), encoder);
    }
}
