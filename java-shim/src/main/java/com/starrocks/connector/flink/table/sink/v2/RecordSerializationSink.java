package com.starrocks.connector.flink.table.sink.v2;

import com.starrocks.connector.flink.sink.SerializationSchemaEncoder;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;

/**
 * The Sink V2 StarRocks sink of records that a {@link RecordSerializationSchema} serializes; it
 * gives the schema its writer's Flink context. Created by
 * {@link com.starrocks.connector.flink.table.sink.SinkFunctionFactory#createSink}.
 */
public final class RecordSerializationSink<T> extends StarRocksSink<T> {
    private static final long serialVersionUID = 1L;

    /** The same object as the sink's encoder (also after deserialization on a TaskManager). */
    private final SerializationSchemaEncoder<T> encoder;

    public RecordSerializationSink(Map<String, String> options, SerializationSchemaEncoder<T> encoder) {
        super(options, encoder);
        this.encoder = encoder;
    }

    @Override
    public StarRocksWriter<T> restoreWriter(InitContext context, Collection<StarRocksWriterState> recoveredState)
            throws IOException {
        encoder.bind(context);
        return super.restoreWriter(context, recoveredState);
    }
}
