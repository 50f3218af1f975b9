package com.starrocks.connector.flink.table.sink.v2;

import com.starrocks.connector.flink.table.data.StarRocksRowData;

import org.apache.flink.api.common.serialization.SerializationSchema;

import javax.annotation.Nullable;

import java.io.Serializable;

/**
 * Turns records of type {@code T} into {@link StarRocksRowData}: a serialized row (CSV line or
 * JSON object) with the table it goes to. The sink of
 * {@link com.starrocks.connector.flink.table.sink.SinkFunctionFactory#createSink} calls it for
 * every record, so one sink can write many tables (Flink CDC's StarRocks pipeline uses it).
 *
 * @param <T> the type of the records
 */
public interface RecordSerializationSchema<T> extends Serializable {

    /**
     * Called once per writer before {@link #serialize}.
     *
     * @param context Flink's context (metrics, user class loader)
     * @param sinkContext the writer's init context and the sink options
     */
    void open(SerializationSchema.InitializationContext context, StarRocksSinkContext sinkContext);

    /**
     * Serializes one record. The result is used before the next call, so an implementation may
     * return the same (mutable) object every time.
     *
     * @return the row, or null to skip the record
     */
    @Nullable
    StarRocksRowData serialize(T record);

    /** Releases what {@link #open} acquired. */
    void close();
}
