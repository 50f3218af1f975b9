package com.starrocks.connector.flink.table.sink;

import com.starrocks.connector.flink.natives.NativeCommitter;
import com.starrocks.connector.flink.natives.WriterContext;
import com.starrocks.connector.flink.sink.EngineWriter;
import com.starrocks.connector.flink.sink.FlinkContexts;
import com.starrocks.connector.flink.sink.FlinkVersionGuard;
import com.starrocks.connector.flink.sink.HandOffTimer;
import com.starrocks.connector.flink.sink.RecordEncoder;
import com.starrocks.connector.flink.sink.SinkMetrics;
import com.starrocks.connector.flink.table.sink.v2.StarRocksCommittable;
import com.starrocks.connector.flink.table.sink.v2.StarRocksWriterState;
import com.starrocks.connector.flink.table.sink.v2.StarRocksWriterStateSerializer;

import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.operators.StreamingRuntimeContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SinkFunction (Sink V1 API) StarRocks sink, the default of the SQL connector.
 *
 * <p>At-least-once: every checkpoint and the end of input wait until the rows written before are
 * loaded (and committed, with transaction Stream Load).
 *
 * <p>Exactly-once: at each checkpoint the open transactions are prepared and kept in operator
 * state with the checkpoint id; when the checkpoint completes they are committed, in checkpoint
 * order. A restored subtask commits the prepared transactions it inherits (idempotently) and the
 * engine aborts what a crashed attempt left after the checkpoint.
 */
@SuppressWarnings("deprecation") // SinkFunction and open(Configuration) are deprecated from Flink 1.19/1.20
public class StarRocksDynamicSinkFunction<T> extends org.apache.flink.streaming.api.functions.sink.RichSinkFunction<T>
        implements CheckpointedFunction, CheckpointListener {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(StarRocksDynamicSinkFunction.class);

    private final HashMap<String, String> options;
    private final RecordEncoder<T> encoder;

    private transient EngineWriter engine;
    private transient HandOffTimer handOffTimer;
    private transient boolean checkpointing = true;
    private transient NativeCommitter committer;
    private transient ListState<byte[]> committableState;
    private transient ListState<byte[]> labelSpaceState;
    private transient TreeMap<Long, List<StarRocksCommittable>> pending;
    private transient List<StarRocksWriterState> restoredSpaces;
    private transient long restoredCheckpointId;

    public StarRocksDynamicSinkFunction(Map<String, String> options, RecordEncoder<T> encoder) {
        FlinkVersionGuard.check();
        this.options = new HashMap<>(options);
        this.encoder = encoder;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        committableState =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "starrocks-sink-committables",
                                        BytePrimitiveArraySerializer.INSTANCE));
        labelSpaceState =
                context.getOperatorStateStore()
                        .getListState(
                                new ListStateDescriptor<>(
                                        "starrocks-sink-label-spaces",
                                        BytePrimitiveArraySerializer.INSTANCE));
        pending = new TreeMap<>();
        restoredSpaces = new ArrayList<>();
        restoredCheckpointId = context.isRestored() ? context.getRestoredCheckpointId().orElse(-1L) : -1L;
        PendingCommittableSerializer committables = new PendingCommittableSerializer();
        for (byte[] bytes : committableState.get()) {
            PendingCommittable p =
                    SimpleVersionedSerialization.readVersionAndDeSerialize(committables, bytes);
            pending.computeIfAbsent(p.checkpointId, k -> new ArrayList<>()).add(p.committable);
        }
        StarRocksWriterStateSerializer spaces = new StarRocksWriterStateSerializer();
        for (byte[] bytes : labelSpaceState.get()) {
            restoredSpaces.add(SimpleVersionedSerialization.readVersionAndDeSerialize(spaces, bytes));
        }
    }

    @Override
    public void open(Configuration parameters) throws Exception {
        super.open(parameters);
        WriterContext context =
                new WriterContext(
                        getRuntimeContext().getIndexOfThisSubtask(),
                        getRuntimeContext().getNumberOfParallelSubtasks(),
                        restoredCheckpointId,
                        EngineWriter.flatten(restoredSpaces),
                        FlinkContexts.fallbackLabelPrefix(getRuntimeContext()));
        engine =
                new EngineWriter(
                        options,
                        context,
                        SinkMetrics.forOperator(getRuntimeContext().getMetricGroup(), options));
        encoder.open(engine);
        if (getRuntimeContext() instanceof StreamingRuntimeContext) {
            StreamingRuntimeContext streaming = (StreamingRuntimeContext) getRuntimeContext();
            handOffTimer = HandOffTimer.start(streaming.getProcessingTimeService(), engine);
            checkpointing = streaming.isCheckpointingEnabled();
        }
        if (engine.isExactlyOnce() && !checkpointing) {
            LOG.warn(
                    "exactly-once commits at checkpoints, but checkpointing is disabled: data is"
                            + " committed only at the end of input, and an unbounded job commits"
                            + " nothing");
        }
        if (!pending.isEmpty()) {
            LOG.info("committing {} restored prepared transactions", count(pending));
            commitUpTo(Long.MAX_VALUE);
        }
    }

    @Override
    public void invoke(T value, Context context) {
        encoder.encode(value, engine);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        engine.flush();
        if (!engine.isExactlyOnce()) {
            return;
        }
        List<StarRocksCommittable> prepared = engine.prepareCommit();
        LOG.debug("checkpoint {}: prepared {}", context.getCheckpointId(), prepared);
        if (!prepared.isEmpty()) {
            pending.put(context.getCheckpointId(), prepared);
        }
        committableState.clear();
        PendingCommittableSerializer committables = new PendingCommittableSerializer();
        for (Map.Entry<Long, List<StarRocksCommittable>> e : pending.entrySet()) {
            for (StarRocksCommittable c : e.getValue()) {
                committableState.add(
                        SimpleVersionedSerialization.writeVersionAndSerialize(
                                committables, new PendingCommittable(e.getKey(), c)));
            }
        }
        labelSpaceState.clear();
        StarRocksWriterStateSerializer spaces = new StarRocksWriterStateSerializer();
        for (StarRocksWriterState s : engine.labelSpaces()) {
            labelSpaceState.add(SimpleVersionedSerialization.writeVersionAndSerialize(spaces, s));
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        LOG.debug("checkpoint {} complete; pending {}", checkpointId, pending);
        commitUpTo(checkpointId);
    }

    /** Commits the prepared transactions of checkpoints up to {@code checkpointId}, in order. */
    private void commitUpTo(long checkpointId) {
        while (!pending.isEmpty() && pending.firstKey() <= checkpointId) {
            Map.Entry<Long, List<StarRocksCommittable>> next = pending.firstEntry();
            if (committer == null) {
                committer = NativeCommitter.create(options);
            }
            for (StarRocksCommittable c : next.getValue()) {
                boolean already = committer.commit(c.getDatabase(), c.getTable(), c.getLabel());
                LOG.debug("{} {}", already ? "already committed" : "committed", c);
            }
            pending.remove(next.getKey());
        }
    }

    private static int count(TreeMap<Long, List<StarRocksCommittable>> m) {
        int n = 0;
        for (List<StarRocksCommittable> l : m.values()) {
            n += l.size();
        }
        return n;
    }

    @Override
    public void finish() throws Exception {
        LOG.debug("finish");
        engine.flush();
        if (engine.isExactlyOnce() && !checkpointing) {
            // No checkpoint will come to commit the last transactions (nor to replay them).
            pending.put(Long.MAX_VALUE, engine.prepareCommit());
            commitUpTo(Long.MAX_VALUE);
        }
        super.finish();
    }

    @Override
    public void close() throws Exception {
        try {
            if (handOffTimer != null) {
                handOffTimer.stop();
            }
            if (engine != null) {
                engine.close();
            }
        } finally {
            try {
                if (committer != null) {
                    committer.close();
                }
                encoder.close();
            } finally {
                super.close();
            }
        }
    }
}
