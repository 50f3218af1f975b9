package com.starrocks.connector.flink.table.sink.v2;

import com.starrocks.connector.flink.natives.WriterContext;
import com.starrocks.connector.flink.sink.EngineWriter;
import com.starrocks.connector.flink.sink.HandOffTimer;
import com.starrocks.connector.flink.sink.RecordEncoder;
import com.starrocks.connector.flink.sink.SinkMetrics;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.StatefulSink;
import org.apache.flink.api.connector.sink2.TwoPhaseCommittingSink;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Sink V2 writer: records go to the engine; {@link #flush} (before each checkpoint and at end of
 * input) waits until they are loaded; {@link #prepareCommit} hands exactly-once transactions to
 * the committer; {@link #snapshotState} keeps the label spaces.
 */
public class StarRocksWriter<InputT>
        implements StatefulSink.StatefulSinkWriter<InputT, StarRocksWriterState>,
                TwoPhaseCommittingSink.PrecommittingSinkWriter<InputT, StarRocksCommittable> {
    private final EngineWriter engine;
    private final RecordEncoder<InputT> encoder;
    private HandOffTimer handOffTimer;

    public StarRocksWriter(
            Map<String, String> options,
            WriterContext context,
            RecordEncoder<InputT> encoder,
            SinkMetrics metrics) {
        this.engine = new EngineWriter(options, context, metrics);
        this.encoder = encoder;
        try {
            encoder.open(engine);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    void startHandOffTimer(ProcessingTimeService time) {
        handOffTimer = HandOffTimer.start(time, engine);
    }

    @Override
    public void write(InputT element, Context context) {
        encoder.encode(element, engine);
    }

    @Override
    public void flush(boolean endOfInput) {
        engine.flush();
    }

    @Override
    public Collection<StarRocksCommittable> prepareCommit() {
        return engine.prepareCommit();
    }

    @Override
    public List<StarRocksWriterState> snapshotState(long checkpointId) {
        return engine.labelSpaces();
    }

    @Override
    public void close() {
        try {
            if (handOffTimer != null) {
                handOffTimer.stop();
            }
            engine.close();
        } finally {
            encoder.close();
        }
    }
}
