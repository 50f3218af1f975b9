package com.starrocks.connector.flink.sink;

import java.io.Serializable;

/**
 * How records of one Flink type reach the engine. Serializable (it travels with the sink);
 * {@link #open} is called once per writer and may register tables and build per-writer state;
 * {@link #close} once when the writer closes (also after a failure).
 */
public interface RecordEncoder<T> extends Serializable {
    void open(EngineWriter writer);

    void encode(T record, EngineWriter writer);

    /** Releases what {@link #open} acquired; the default holds nothing. */
    default void close() {}
}
