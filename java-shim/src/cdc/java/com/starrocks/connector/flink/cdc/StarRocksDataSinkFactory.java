package com.starrocks.connector.flink.cdc;

import com.starrocks.connector.flink.natives.StarRocksException;
import com.starrocks.connector.flink.sink.EngineOptions;

import org.apache.flink.cdc.common.configuration.ConfigOption;
import org.apache.flink.cdc.common.configuration.ConfigOptions;
import org.apache.flink.cdc.common.configuration.Configuration;
import org.apache.flink.cdc.common.factories.DataSinkFactory;
import org.apache.flink.cdc.common.pipeline.PipelineOptions;
import org.apache.flink.cdc.common.sink.DataSink;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code sink: type: starrocks} in a Flink CDC pipeline: the option keys and defaults of the
 * public StarRocks pipeline connector. Rows go through the engine (at-least-once, JSON, Sink V2);
 * tables are created and changed by {@link StarRocksMetadataApplier}.
 */
public class StarRocksDataSinkFactory implements DataSinkFactory {
    public static final String IDENTIFIER = "starrocks";
    static final String SINK_PROPERTIES_PREFIX = "sink.properties.";
    static final String TABLE_CREATE_PROPERTIES_PREFIX = "table.create.properties.";

    static final ConfigOption<String> JDBC_URL = required("jdbc-url");
    static final ConfigOption<String> LOAD_URL = required("load-url");
    static final ConfigOption<String> USERNAME = required("username");
    static final ConfigOption<String> PASSWORD = required("password");
    static final ConfigOption<Integer> TABLE_CREATE_NUM_BUCKETS =
            ConfigOptions.key("table.create.num-buckets").intType().noDefaultValue()
                    .withDescription("Buckets of the tables the sink creates; StarRocks picks when unset.");
    static final ConfigOption<Duration> TABLE_SCHEMA_CHANGE_TIMEOUT =
            ConfigOptions.key("table.schema-change.timeout").durationType().defaultValue(Duration.ofMinutes(30))
                    .withDescription("How long a schema change may take in StarRocks before the pipeline fails.");

    /** Sink options passed to the engine as they are (validated there, with its defaults). */
    static final List<String> ENGINE_OPTIONS =
            Arrays.asList(
                    "sink.label-prefix",
                    "sink.connect.timeout-ms",
                    "sink.socket.timeout-ms",
                    "sink.wait-for-continue.timeout-ms",
                    "sink.buffer-flush.max-bytes",
                    "sink.buffer-flush.interval-ms",
                    "sink.scan-frequency.ms",
                    "sink.io.thread-count",
                    "sink.at-least-once.use-transaction-stream-load",
                    "sink.metric.histogram-window-size");

    private static ConfigOption<String> required(String key) {
        return ConfigOptions.key(key).stringType().noDefaultValue();
    }

    @Override
    public String identifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return new LinkedHashSet<>(Arrays.<ConfigOption<?>>asList(JDBC_URL, LOAD_URL, USERNAME, PASSWORD));
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new LinkedHashSet<>();
        for (String key : ENGINE_OPTIONS) {
            options.add(ConfigOptions.key(key).stringType().noDefaultValue());
        }
        options.add(TABLE_CREATE_NUM_BUCKETS);
        options.add(TABLE_SCHEMA_CHANGE_TIMEOUT);
        return options;
    }

    @Override
    public DataSink createDataSink(Context context) {
        Configuration config = context.getFactoryConfiguration();
        Map<String, String> given = config.toMap();
        Map<String, String> sink = new HashMap<>();
        Map<String, String> tableProperties = new HashMap<>();
        Set<String> unknown = new TreeSet<>();
        for (Map.Entry<String, String> e : given.entrySet()) {
            String key = e.getKey();
            if (isRequired(key) || ENGINE_OPTIONS.contains(key) || key.startsWith(SINK_PROPERTIES_PREFIX)) {
                sink.put(key, e.getValue());
            } else if (key.startsWith(TABLE_CREATE_PROPERTIES_PREFIX)) {
                tableProperties.put(key.substring(TABLE_CREATE_PROPERTIES_PREFIX.length()), e.getValue());
            } else if (!key.equals(TABLE_CREATE_NUM_BUCKETS.key()) && !key.equals(TABLE_SCHEMA_CHANGE_TIMEOUT.key())
                    && !key.equals("type") && !key.equals("name")) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("the StarRocks pipeline sink has no option " + unknown
                    + "; it takes " + requiredOptions() + ", " + optionalOptions() + ", " + SINK_PROPERTIES_PREFIX
                    + "* and " + TABLE_CREATE_PROPERTIES_PREFIX + "*");
        }
        for (ConfigOption<String> option : Arrays.asList(JDBC_URL, LOAD_URL, USERNAME, PASSWORD)) {
            if (!given.containsKey(option.key())) {
                throw new IllegalArgumentException("the StarRocks pipeline sink needs the option '" + option.key() + "'");
            }
        }
        // As the public pipeline connector: every table of the pipeline, Sink V2, at-least-once
        // (Flink CDC commits nothing itself), JSON.
        sink.put("database-name", "*");
        sink.put("table-name", "*");
        sink.put("sink.use.new-sink-api", "true");
        sink.put("sink.semantic", "at-least-once");
        sink.put(SINK_PROPERTIES_PREFIX + "format", "json");
        try {
            EngineOptions.validate(sink);
        } catch (StarRocksException e) {
            throw new IllegalArgumentException("invalid options of the StarRocks pipeline sink: " + e.getMessage(), e);
        }
        String zone = context.getPipelineConfiguration().get(PipelineOptions.PIPELINE_LOCAL_TIME_ZONE);
        // Flink CDC's default is the literal "systemDefault".
        boolean system = zone == null || zone.equalsIgnoreCase("systemDefault") || zone.equalsIgnoreCase("default");
        ZoneId zoneId = system ? ZoneId.systemDefault() : ZoneId.of(zone);
        return new StarRocksDataSink(
                sink,
                zoneId.getId(),
                new StarRocksMetadataApplier(
                        sink,
                        tableProperties,
                        config.getOptional(TABLE_CREATE_NUM_BUCKETS).orElse(null),
                        config.get(TABLE_SCHEMA_CHANGE_TIMEOUT)));
    }

    private static boolean isRequired(String key) {
        return key.equals(JDBC_URL.key()) || key.equals(LOAD_URL.key()) || key.equals(USERNAME.key())
                || key.equals(PASSWORD.key());
    }
}
