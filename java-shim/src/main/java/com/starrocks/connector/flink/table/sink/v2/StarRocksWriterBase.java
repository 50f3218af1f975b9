package com.starrocks.connector.flink.table.sink.v2;

import com.starrocks.connector.flink.natives.WriterContext;
import com.starrocks.connector.flink.sink.EngineWriter;
import com.starrocks.connector.flink.sink.FlinkContexts;
import com.starrocks.connector.flink.sink.HandOffTimer;
import com.starrocks.connector.flink.sink.RecordEncoder;
import com.starrocks.connector.flink.sink.SinkMetrics;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The Sink V2 writer of every Flink version: records go to the engine; {@link #flush} (before
 * each checkpoint and at end of input) waits until they are loaded; {@link #prepareCommit} hands
 * exactly-once transactions to the committer; {@link #snapshotState} keeps the label spaces. The
 * {@code StarRocksWriter} of each Flink generation only adds that generation's writer interfaces.
 */
public abstract class StarRocksWriterBase<InputT> implements SinkWriter<InputT> {
    private final EngineWriter engine;
    private final RecordEncoder<InputT> encoder;
    private final HandOffTimer handOffTimer;

    /**
     * @param job the Flink context that knows the job id (for the fallback label prefix)
     */
    protected StarRocksWriterBase(
            Map<String, String> options,
            RecordEncoder<InputT> encoder,
            int subtask,
            int parallelism,
            OptionalLong restoredCheckpointId,
            Collection<StarRocksWriterState> recoveredState,
            Object job,
            SinkWriterMetricGroup metricGroup,
            ProcessingTimeService time) {
        WriterContext context =
                new WriterContext(
                        subtask,
                        parallelism,
                        restoredCheckpointId.orElse(-1L),
                        EngineWriter.flatten(recoveredState),
                        FlinkContexts.fallbackLabelPrefix(job));
        this.engine = new EngineWriter(options, context, SinkMetrics.forSinkWriter(metricGroup, options));
        this.encoder = encoder;
        try {
            encoder.open(engine);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        this.handOffTimer = HandOffTimer.start(time, engine);
    }

    @Override
    public void write(InputT element, Context context) {
        encoder.encode(element, engine);
    }

    @Override
    public void flush(boolean endOfInput) {
        engine.flush();
    }

    /** The exactly-once transactions prepared since the last call (none at-least-once). */
    public Collection<StarRocksCommittable> prepareCommit() {
        return engine.prepareCommit();
    }

    /** The label spaces to restore from. */
    public List<StarRocksWriterState> snapshotState(long checkpointId) {
        return engine.labelSpaces();
    }

    @Override
    public void close() {
        try {
            handOffTimer.stop();
            engine.close();
        } finally {
            encoder.close();
        }
    }
}
