package com.starrocks.connector.flink;

import com.starrocks.connector.flink.row.sink.StarRocksSinkRowBuilder;
import com.starrocks.connector.flink.sink.FlinkVersionGuard;
import com.starrocks.connector.flink.sink.ObjectArrayEncoder;
import com.starrocks.connector.flink.sink.RawRecordEncoder;
import com.starrocks.connector.flink.sink.SinkSchema;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.table.catalog.ResolvedSchema;

/**
 * The DataStream entry points of the StarRocks sink (Flink 2.x, which has no SinkFunction). Each
 * returns a Sink V2 for {@code stream.sinkTo(...)} that loads into {@code database-name}.{@code
 * table-name}, at-least-once or exactly-once as {@code sink.semantic} says; records are copied
 * when the sink receives them, so they may be reused.
 */
public final class StarRocksSink {
    private StarRocksSink() {}

    /**
     * A sink of typed rows: {@code rowBuilder} fills an {@code Object[]} per record with one value
     * per physical column of {@code schema}, in schema order (see {@link StarRocksSinkRowBuilder}
     * for the Java types). A schema with a primary key means a PRIMARY KEY table: the array has
     * one more slot, the last, for the operation (upsert or delete).
     *
     * @throws com.starrocks.connector.flink.natives.StarRocksException for a column type that
     *     cannot be loaded yet, or a wildcard database or table
     */
    public static <T> Sink<T> sink(
            ResolvedSchema schema, StarRocksSinkOptions sinkOptions, StarRocksSinkRowBuilder<T> rowBuilder) {
        FlinkVersionGuard.check();
        SinkSchema columns = SinkSchema.of(schema);
        ObjectArrayEncoder<T> encoder =
                ObjectArrayEncoder.forSinkTable(sinkOptions, columns.names, columns.types, columns.primaryKey, rowBuilder);
        return new com.starrocks.connector.flink.table.sink.v2.StarRocksSink<>(sinkOptions.asMap(), encoder);
    }

    /**
     * A sink of rows serialized already: each {@code String} is one row, a CSV line without the
     * row delimiter ({@code sink.properties.format} {@code csv}, the default) or one JSON object
     * ({@code json}). {@code StarRocksRowData} and {@code StarRocksSinkRowDataWithMeta} records go
     * to the table they name.
     */
    public static <T> Sink<T> sink(StarRocksSinkOptions sinkOptions) {
        FlinkVersionGuard.check();
        return new com.starrocks.connector.flink.table.sink.v2.StarRocksSink<>(
                sinkOptions.asMap(), RawRecordEncoder.<T>forSink(sinkOptions));
    }
}
