package com.starrocks.connector.flink.table.sink.v2;

import com.starrocks.connector.flink.natives.WriterContext;
import com.starrocks.connector.flink.sink.EngineWriter;
import com.starrocks.connector.flink.sink.FlinkContexts;
import com.starrocks.connector.flink.sink.RecordEncoder;
import com.starrocks.connector.flink.sink.SinkMetrics;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.StatefulSink;
import org.apache.flink.api.connector.sink2.TwoPhaseCommittingSink;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.IOException;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The FLIP-191 (Sink V2) StarRocks sink. At-least-once: every checkpoint waits until the rows
 * written before it are loaded (and, with transaction Stream Load, committed). Exactly-once: one
 * transaction per table per checkpoint, prepared at the checkpoint and committed by
 * {@link StarRocksCommitter} once it completes; the writer restores its label spaces and aborts
 * what a crashed attempt left behind.
 */
public class StarRocksSink<InputT>
        implements StatefulSink<InputT, StarRocksWriterState>,
                TwoPhaseCommittingSink<InputT, StarRocksCommittable> {
    private static final long serialVersionUID = 1L;

    private final HashMap<String, String> options;
    private final RecordEncoder<InputT> encoder;

    public StarRocksSink(Map<String, String> options, RecordEncoder<InputT> encoder) {
        this.options = new HashMap<>(options);
        this.encoder = encoder;
    }

    @Override
    public StarRocksWriter<InputT> createWriter(InitContext context) throws IOException {
        return restoreWriter(context, Collections.<StarRocksWriterState>emptyList());
    }

    @Override
    public StarRocksWriter<InputT> restoreWriter(
            InitContext context, Collection<StarRocksWriterState> recoveredState)
            throws IOException {
        WriterContext writerContext =
                new WriterContext(
                        context.getSubtaskId(),
                        context.getNumberOfParallelSubtasks(),
                        context.getRestoredCheckpointId().orElse(-1L),
                        EngineWriter.flatten(recoveredState),
                        FlinkContexts.fallbackLabelPrefix(context));
        StarRocksWriter<InputT> writer =
                new StarRocksWriter<>(
                        options,
                        writerContext,
                        encoder,
                        SinkMetrics.forSinkWriter(context.metricGroup(), options));
        writer.startHandOffTimer(context.getProcessingTimeService());
        return writer;
    }

    @Override
    public SimpleVersionedSerializer<StarRocksWriterState> getWriterStateSerializer() {
        return new StarRocksWriterStateSerializer();
    }

    @Override
    public Committer<StarRocksCommittable> createCommitter() throws IOException {
        return new StarRocksCommitter(options);
    }

    @Override
    public SimpleVersionedSerializer<StarRocksCommittable> getCommittableSerializer() {
        return new StarRocksCommittableSerializer();
    }
}
