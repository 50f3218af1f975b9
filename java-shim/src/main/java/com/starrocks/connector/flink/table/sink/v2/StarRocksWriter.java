package com.starrocks.connector.flink.table.sink.v2;

import com.starrocks.connector.flink.sink.EngineWriter;
import com.starrocks.connector.flink.sink.RecordEncoder;

import org.apache.flink.api.connector.sink2.SinkWriter;

import java.util.Map;

/** Sink V2 writer: records go to the engine; {@link #flush} (checkpoint, end of input) waits. */
public class StarRocksWriter<InputT> implements SinkWriter<InputT> {
    private final EngineWriter engine;
    private final RecordEncoder<InputT> encoder;

    public StarRocksWriter(Map<String, String> options, RecordEncoder<InputT> encoder) {
        this.engine = new EngineWriter(options);
        this.encoder = encoder;
        try {
            encoder.open(engine);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
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
    public void close() {
        engine.close();
    }
}
