package com.starrocks.connector.flink.table.sink;

import com.starrocks.connector.flink.sink.EngineWriter;
import com.starrocks.connector.flink.sink.RecordEncoder;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;

import java.util.HashMap;
import java.util.Map;

/**
 * The SinkFunction (Sink V1 API) StarRocks sink, the default of the SQL connector. At-least-once:
 * every checkpoint and the end of input wait until the rows written before are loaded.
 */
public class StarRocksDynamicSinkFunction<T> extends RichSinkFunction<T>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private final HashMap<String, String> options;
    private final RecordEncoder<T> encoder;
    private transient EngineWriter engine;

    public StarRocksDynamicSinkFunction(Map<String, String> options, RecordEncoder<T> encoder) {
        this.options = new HashMap<>(options);
        this.encoder = encoder;
    }

    @Override
    public void open(Configuration parameters) throws Exception {
        super.open(parameters);
        engine = new EngineWriter(options);
        encoder.open(engine);
    }

    @Override
    public void invoke(T value, Context context) {
        encoder.encode(value, engine);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {
        // At-least-once keeps no state: a restore replays from the source's checkpoint.
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        engine.flush();
    }

    @Override
    public void finish() throws Exception {
        engine.flush();
        super.finish();
    }

    @Override
    public void close() throws Exception {
        if (engine != null) {
            engine.close();
        }
        super.close();
    }
}
