package com.starrocks.connector.flink.table.sink.v2;

import com.starrocks.connector.flink.sink.RecordEncoder;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.IOException;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;

/**
 * The FLIP-191 (Sink V2) StarRocks sink, Flink 2.x API. At-least-once: every checkpoint waits
 * until the rows written before it are loaded (and, with transaction Stream Load, committed).
 * Exactly-once: one transaction per table per checkpoint, prepared at the checkpoint and committed
 * by {@link StarRocksCommitter} once it completes; the writer restores its label spaces and aborts
 * what a crashed attempt left behind.
 */
public class StarRocksSink<InputT> extends StarRocksSinkBase<InputT>
        implements Sink<InputT>,
                SupportsWriterState<InputT, StarRocksWriterState>,
                SupportsCommitter<StarRocksCommittable> {
    private static final long serialVersionUID = 1L;

    public StarRocksSink(Map<String, String> options, RecordEncoder<InputT> encoder) {
        super(options, encoder);
    }

    @Override
    public StarRocksWriter<InputT> createWriter(WriterInitContext context) throws IOException {
        return restoreWriter(context, Collections.<StarRocksWriterState>emptyList());
    }

    @Override
    public StarRocksWriter<InputT> restoreWriter(
            WriterInitContext context, Collection<StarRocksWriterState> recoveredState)
            throws IOException {
        bindSerializationSchema(
                context.asSerializationSchemaInitializationContext(),
                options -> new DefaultStarRocksSinkContext(context, options));
        return new StarRocksWriter<>(options, encoder, context, recoveredState);
    }

    @Override
    public SimpleVersionedSerializer<StarRocksWriterState> getWriterStateSerializer() {
        return new StarRocksWriterStateSerializer();
    }

    @Override
    public SimpleVersionedSerializer<StarRocksCommittable> getCommittableSerializer() {
        return new StarRocksCommittableSerializer();
    }

    @Override
    public Committer<StarRocksCommittable> createCommitter(CommitterInitContext context) throws IOException {
        return newCommitter();
    }
}
