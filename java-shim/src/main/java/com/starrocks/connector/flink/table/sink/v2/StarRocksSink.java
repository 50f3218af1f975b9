package com.starrocks.connector.flink.table.sink.v2;

import com.starrocks.connector.flink.sink.RecordEncoder;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The FLIP-191 (Sink V2) StarRocks sink. At-least-once: every checkpoint waits until the rows
 * written before it are loaded.
 */
public class StarRocksSink<InputT> implements Sink<InputT> {
    private static final long serialVersionUID = 1L;

    private final HashMap<String, String> options;
    private final RecordEncoder<InputT> encoder;

    public StarRocksSink(Map<String, String> options, RecordEncoder<InputT> encoder) {
        this.options = new HashMap<>(options);
        this.encoder = encoder;
    }

    @Override
    public SinkWriter<InputT> createWriter(InitContext context) throws IOException {
        return new StarRocksWriter<>(options, encoder);
    }
}
