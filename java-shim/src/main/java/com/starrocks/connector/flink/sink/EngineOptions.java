package com.starrocks.connector.flink.sink;

import com.starrocks.connector.flink.natives.NativeBridge;
import com.starrocks.connector.flink.natives.StarRocksException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/** Validation of the user's options by the engine, which owns their meaning and defaults. */
public final class EngineOptions {
    private static final Logger LOG = LoggerFactory.getLogger(EngineOptions.class);

    private EngineOptions() {}

    /**
     * Validates {@code options} (raw keys and values) and logs the engine's warnings.
     *
     * @throws StarRocksException naming the option at fault
     */
    public static void validate(Map<String, String> options) {
        String[] keys = new String[options.size()];
        String[] values = new String[options.size()];
        int i = 0;
        for (Map.Entry<String, String> e : options.entrySet()) {
            keys[i] = e.getKey();
            values[i] = e.getValue();
            i++;
        }
        for (String warning : NativeBridge.validateOptions(keys, values)) {
            LOG.warn("StarRocks sink: {}", warning);
        }
    }
}
