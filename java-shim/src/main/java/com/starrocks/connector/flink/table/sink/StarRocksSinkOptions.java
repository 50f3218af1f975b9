package com.starrocks.connector.flink.table.sink;

import com.starrocks.connector.flink.natives.StarRocksException;
import com.starrocks.connector.flink.sink.EngineOptions;
import com.starrocks.connector.flink.sink.TableHeaders;
import com.starrocks.data.load.stream.properties.StreamLoadTableProperties;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.factories.FactoryUtil;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The sink options: the same keys and defaults as the public StarRocks connector (1.2.x). The
 * SQL factory, the DataStream builder and the README option table all come from these definitions.
 *
 * <p>An instance holds the options a user set (raw keys and values, {@code sink.properties.*}
 * included); the native engine validates and interprets them.
 */
public class StarRocksSinkOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String SINK_PROPERTIES_PREFIX = "sink.properties.";

    // ---- required -------------------------------------------------------------------------
    public static final ConfigOption<String> JDBC_URL =
            ConfigOptions.key("jdbc-url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "MySQL-protocol URL of the FE(s), e.g. jdbc:mysql://fe1:9030,fe2:9030.");
    public static final ConfigOption<List<String>> LOAD_URL =
            ConfigOptions.key("load-url")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "FE HTTP addresses host:port, separated by ';'. Loads fail over to the"
                                    + " next address when one cannot be reached. An entry"
                                    + " https://host:port uses TLS: the certificate is checked"
                                    + " against the system trust store (SSL_CERT_FILE /"
                                    + " SSL_CERT_DIR) and the host name.");
    public static final ConfigOption<String> DATABASE_NAME =
            ConfigOptions.key("database-name")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("StarRocks database.");
    public static final ConfigOption<String> TABLE_NAME =
            ConfigOptions.key("table-name")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("StarRocks table.");
    public static final ConfigOption<String> USERNAME =
            ConfigOptions.key("username")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("StarRocks user (needs INSERT on the table).");
    public static final ConfigOption<String> PASSWORD =
            ConfigOptions.key("password")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Password of the user; never logged.");

    // ---- sink behaviour -------------------------------------------------------------------
    public static final ConfigOption<String> SINK_VERSION =
            ConfigOptions.key("sink.version")
                    .stringType()
                    .defaultValue("AUTO")
                    .withDescription("V1, V2 or AUTO (which implementation to use).");
    public static final ConfigOption<String> SINK_SEMANTIC =
            ConfigOptions.key("sink.semantic")
                    .stringType()
                    .defaultValue("at-least-once")
                    .withDescription("at-least-once or exactly-once.");
    public static final ConfigOption<String> SINK_LABEL_PREFIX =
            ConfigOptions.key("sink.label-prefix")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Prefix of Stream Load labels; ASCII letters, digits, '_' and '-'.");
    public static final ConfigOption<Long> SINK_BATCH_MAX_SIZE =
            ConfigOptions.key("sink.buffer-flush.max-bytes")
                    .longType()
                    .defaultValue(94371840L)
                    .withDescription(
                            "Buffered bytes (all tables) that trigger a flush; the writer blocks"
                                    + " at twice this (back-pressure).");
    public static final ConfigOption<Long> SINK_BATCH_MAX_ROWS =
            ConfigOptions.key("sink.buffer-flush.max-rows")
                    .longType()
                    .defaultValue(500000L)
                    .withDescription("Rows of one table that trigger a flush of that table.");
    public static final ConfigOption<Long> SINK_BATCH_FLUSH_INTERVAL =
            ConfigOptions.key("sink.buffer-flush.interval-ms")
                    .longType()
                    .defaultValue(300000L)
                    .withDescription("Longest time a row waits in the buffer before a flush.");
    public static final ConfigOption<Integer> SINK_MAX_RETRIES =
            ConfigOptions.key("sink.max-retries")
                    .intType()
                    .defaultValue(3)
                    .withDescription("Retries of a failed load (same label), 0-1000.");
    public static final ConfigOption<Integer> SINK_RETRY_INTERVAL =
            ConfigOptions.key("sink.retry.interval-ms")
                    .intType()
                    .defaultValue(10000)
                    .withDescription("Pause between retries of a load.");
    public static final ConfigOption<Long> SINK_BATCH_OFFER_TIMEOUT =
            ConfigOptions.key("sink.buffer-flush.enqueue-timeout-ms")
                    .longType()
                    .defaultValue(600000L)
                    .withDescription("Longest time a write waits for buffer space.");
    public static final ConfigOption<Integer> SINK_CONNECT_TIMEOUT =
            ConfigOptions.key("sink.connect.timeout-ms")
                    .intType()
                    .defaultValue(30000)
                    .withDescription("TCP connect timeout, clamped to [100, 60000].");
    public static final ConfigOption<Integer> SINK_SOCKET_TIMEOUT =
            ConfigOptions.key("sink.socket.timeout-ms")
                    .intType()
                    .defaultValue(-1)
                    .withDescription(
                            "Longest silence while reading an answer; -1 or 0: only the load"
                                    + " timeout applies.");
    public static final ConfigOption<Integer> SINK_WAIT_FOR_CONTINUE_TIMEOUT =
            ConfigOptions.key("sink.wait-for-continue.timeout-ms")
                    .intType()
                    .defaultValue(30000)
                    .withDescription(
                            "How long to wait for '100 Continue' before sending a body anyway,"
                                    + " clamped to [3000, 600000].");
    public static final ConfigOption<Integer> SINK_IO_THREAD_COUNT =
            ConfigOptions.key("sink.io.thread-count")
                    .intType()
                    .defaultValue(2)
                    .withDescription("Native I/O threads per writer.");
    public static final ConfigOption<Long> SINK_CHUNK_LIMIT =
            ConfigOptions.key("sink.chunk-limit")
                    .longType()
                    .defaultValue(3221225472L)
                    .withDescription("Largest body of one load request.");
    public static final ConfigOption<Long> SINK_SCAN_FREQUENCY =
            ConfigOptions.key("sink.scan-frequency.ms")
                    .longType()
                    .defaultValue(50L)
                    .withDescription("How often buffers are checked for the flush interval.");
    public static final ConfigOption<Integer> SINK_METRIC_HISTOGRAM_WINDOW_SIZE =
            ConfigOptions.key("sink.metric.histogram-window-size")
                    .intType()
                    .defaultValue(100)
                    .withDescription("Window of histogram metrics.");
    public static final ConfigOption<Integer> SINK_PARALLELISM = FactoryUtil.SINK_PARALLELISM;
    public static final ConfigOption<Boolean> SINK_AT_LEAST_ONCE_USE_TRANSACTION_LOAD =
            ConfigOptions.key("sink.at-least-once.use-transaction-stream-load")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Use the transaction Stream Load interface for at-least-once.");
    public static final ConfigOption<Boolean> SINK_IGNORE_UPDATE_BEFORE =
            ConfigOptions.key("sink.ignore.update-before")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription("Drop UPDATE_BEFORE rows instead of deleting them.");
    public static final ConfigOption<Boolean> SINK_ENABLE_EXACTLY_ONCE_LABEL_GEN =
            ConfigOptions.key("sink.exactly-once.enable-label-gen")
                    .booleanType()
                    .defaultValue(true)
                    .withDeprecatedKeys("sink.enable.exactly-once.label-gen")
                    .withDescription(
                            "Exactly-once labels {prefix}-{table}-{subtask}-{id} when a prefix is"
                                    + " set.");
    public static final ConfigOption<Boolean> SINK_ABORT_LINGERING_TXNS =
            ConfigOptions.key("sink.exactly-once.enable-abort-lingering-txn")
                    .booleanType()
                    .defaultValue(true)
                    .withDeprecatedKeys("sink.abort.lingering-txns")
                    .withDescription("Abort transactions left PREPARED by a failed attempt.");
    public static final ConfigOption<Integer> SINK_ABORT_CHECK_NUM_TXNS =
            ConfigOptions.key("sink.exactly-once.check-num-lingering-txn")
                    .intType()
                    .defaultValue(-1)
                    .withDeprecatedKeys("sink.abort.check-num-txns")
                    .withDescription(
                            "Labels probed for lingering transactions; -1: until the first unused.");
    public static final ConfigOption<Boolean> SINK_USE_NEW_SINK_API =
            ConfigOptions.key("sink.use.new-sink-api")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription("Use the FLIP-191 Sink (V2) instead of SinkFunction.");
    public static final ConfigOption<Boolean> SINK_WRAP_JSON_AS_ARRAY =
            ConfigOptions.key("sink.wrap-json-as-array")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription("JSON records given as text (DataStream String records) are each a JSON array of rows;"
                                    + " their elements are loaded as rows. Typed rows are not affected.");
    public static final ConfigOption<Boolean> SINK_SANITIZE_ERROR_LOG =
            ConfigOptions.key("sink.sanitize-error-log")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription("Cut row data out of the error logs that failed loads quote in messages.");
    public static final ConfigOption<Boolean> SINK_BLACKHOLE =
            ConfigOptions.key("sink.blackhole")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription("Test knob: rows are encoded and then dropped, nothing is loaded into StarRocks"
                                    + " (measures the sink's own cost).");
    public static final ConfigOption<Integer> SINK_PUBLISH_TIMEOUT =
            ConfigOptions.key("sink.publish-timeout.ms")
                    .intType()
                    .defaultValue(-1)
                    .withDescription("How long a commit waits for the publish (the commit's timeout header); -1: the server's"
                                    + " default.");
    public static final ConfigOption<Boolean> SINK_MULTI_TABLE_TXN_ENABLED =
            ConfigOptions.key("sink.transaction.multi-table.enabled")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription("Multi-table transactions (not supported yet).");
    public static final ConfigOption<Long> SINK_MULTI_TABLE_TXN_BUFFER_SIZE =
            ConfigOptions.key("sink.transaction.multi-table.buffer-size")
                    .longType()
                    .defaultValue(134217728L)
                    .withDescription("Buffer of multi-table transactions (not supported yet).");

    // ---- merge commit (not supported yet) -------------------------------------------------
    public static final ConfigOption<Long> MERGE_COMMIT_CHUNK_SIZE =
            ConfigOptions.key("sink.merge-commit.chunk.size")
                    .longType()
                    .noDefaultValue()
                    .withDescription("Merge commit (not supported yet).");
    public static final ConfigOption<Integer> MERGE_COMMIT_MAX_CONCURRENT_REQUESTS =
            ConfigOptions.key("sink.merge-commit.max-concurrent-requests")
                    .intType()
                    .defaultValue(Integer.MAX_VALUE)
                    .withDeprecatedKeys("sink.merge-commit.max-inflight-requests")
                    .withDescription("Merge commit (not supported yet).");
    public static final ConfigOption<Integer> MERGE_COMMIT_HTTP_THREAD_NUM =
            ConfigOptions.key("sink.merge-commit.http.thread.num")
                    .intType()
                    .defaultValue(3)
                    .withDescription("Merge commit (not supported yet).");
    public static final ConfigOption<Integer> MERGE_COMMIT_HTTP_MAX_CONNECTIONS =
            ConfigOptions.key("sink.merge-commit.http.max-connections")
                    .intType()
                    .defaultValue(20)
                    .withDescription("Merge commit (not supported yet).");
    public static final ConfigOption<Integer> MERGE_COMMIT_HTTP_TOTAL_MAX_CONNECTIONS =
            ConfigOptions.key("sink.merge-commit.http.total-max-connections")
                    .intType()
                    .defaultValue(1000)
                    .withDescription("Merge commit (not supported yet).");
    public static final ConfigOption<Integer> MERGE_COMMIT_HTTP_IDLE_CONNECTION_TIMEOUT =
            ConfigOptions.key("sink.merge-commit.http.idle-connection-timeout-ms")
                    .intType()
                    .defaultValue(60000)
                    .withDescription("Merge commit (not supported yet).");
    public static final ConfigOption<Integer> MERGE_COMMIT_NODE_META_UPDATE_INTERVAL =
            ConfigOptions.key("sink.merge-commit.node-meta.update-interval-ms")
                    .intType()
                    .defaultValue(5000)
                    .withDescription("Merge commit (not supported yet).");
    public static final ConfigOption<Integer> MERGE_COMMIT_CHECK_LABEL_STATE_INIT_DELAY =
            ConfigOptions.key("sink.merge-commit.check-label-state.init-delay-ms")
                    .intType()
                    .defaultValue(500)
                    .withDeprecatedKeys("sink.merge-commit.check-state.init-delay-ms")
                    .withDescription("Merge commit (not supported yet).");
    public static final ConfigOption<Integer> MERGE_COMMIT_CHECK_LABEL_STATE_INTERVAL =
            ConfigOptions.key("sink.merge-commit.check-label-state.interval-ms")
                    .intType()
                    .defaultValue(500)
                    .withDescription("Merge commit (not supported yet).");
    public static final ConfigOption<Integer> MERGE_COMMIT_CHECK_LABEL_STATE_TIMEOUT =
            ConfigOptions.key("sink.merge-commit.check-label-state.timeout-ms")
                    .intType()
                    .noDefaultValue()
                    .withDescription("Merge commit (not supported yet).");
    public static final ConfigOption<Boolean> MERGE_COMMIT_BACKEND_DIRECT_CONNECTION =
            ConfigOptions.key("sink.merge-commit.backend-direct-connection")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription("Merge commit (not supported yet).");

    /** The required options, in documentation order. */
    public static List<ConfigOption<?>> requiredOptions() {
        return Collections.unmodifiableList(
                Arrays.asList(JDBC_URL, LOAD_URL, DATABASE_NAME, TABLE_NAME, USERNAME, PASSWORD));
    }

    /** The optional options, in documentation order. */
    public static List<ConfigOption<?>> optionalOptions() {
        return Collections.unmodifiableList(
                Arrays.asList(
                        SINK_VERSION,
                        SINK_SEMANTIC,
                        SINK_LABEL_PREFIX,
                        SINK_BATCH_MAX_SIZE,
                        SINK_BATCH_MAX_ROWS,
                        SINK_BATCH_FLUSH_INTERVAL,
                        SINK_MAX_RETRIES,
                        SINK_RETRY_INTERVAL,
                        SINK_BATCH_OFFER_TIMEOUT,
                        SINK_CONNECT_TIMEOUT,
                        SINK_SOCKET_TIMEOUT,
                        SINK_WAIT_FOR_CONTINUE_TIMEOUT,
                        SINK_IO_THREAD_COUNT,
                        SINK_CHUNK_LIMIT,
                        SINK_SCAN_FREQUENCY,
                        SINK_METRIC_HISTOGRAM_WINDOW_SIZE,
                        SINK_PARALLELISM,
                        SINK_AT_LEAST_ONCE_USE_TRANSACTION_LOAD,
                        SINK_IGNORE_UPDATE_BEFORE,
                        SINK_ENABLE_EXACTLY_ONCE_LABEL_GEN,
                        SINK_ABORT_LINGERING_TXNS,
                        SINK_ABORT_CHECK_NUM_TXNS,
                        SINK_USE_NEW_SINK_API,
                        SINK_WRAP_JSON_AS_ARRAY,
                        SINK_SANITIZE_ERROR_LOG,
                        SINK_BLACKHOLE,
                        SINK_PUBLISH_TIMEOUT,
                        SINK_MULTI_TABLE_TXN_ENABLED,
                        SINK_MULTI_TABLE_TXN_BUFFER_SIZE,
                        MERGE_COMMIT_CHUNK_SIZE,
                        MERGE_COMMIT_MAX_CONCURRENT_REQUESTS,
                        MERGE_COMMIT_HTTP_THREAD_NUM,
                        MERGE_COMMIT_HTTP_MAX_CONNECTIONS,
                        MERGE_COMMIT_HTTP_TOTAL_MAX_CONNECTIONS,
                        MERGE_COMMIT_HTTP_IDLE_CONNECTION_TIMEOUT,
                        MERGE_COMMIT_NODE_META_UPDATE_INTERVAL,
                        MERGE_COMMIT_CHECK_LABEL_STATE_INIT_DELAY,
                        MERGE_COMMIT_CHECK_LABEL_STATE_INTERVAL,
                        MERGE_COMMIT_CHECK_LABEL_STATE_TIMEOUT,
                        MERGE_COMMIT_BACKEND_DIRECT_CONNECTION));
    }

    /**
     * The options as the engine reads them: deprecated keys renamed to their current key,
     * {@code connector} dropped, everything else as written.
     */
    public static Map<String, String> canonicalize(Map<String, String> raw) {
        Map<String, String> deprecated = new HashMap<>();
        List<ConfigOption<?>> all = new ArrayList<>(requiredOptions());
        all.addAll(optionalOptions());
        for (ConfigOption<?> option : all) {
            for (org.apache.flink.configuration.FallbackKey k : option.fallbackKeys()) {
                deprecated.put(k.getKey(), option.key());
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String key = e.getKey();
            if ("connector".equals(key)) {
                continue;
            }
            String current = deprecated.get(key);
            if (current != null && raw.containsKey(current)) {
                continue; // the current key wins
            }
            out.put(current != null ? current : key, e.getValue());
        }
        return out;
    }

    private final LinkedHashMap<String, String> options;
    private final ArrayList<StreamLoadTableProperties> tableProperties = new ArrayList<>();
    private transient Configuration typed;

    private StarRocksSinkOptions(Map<String, String> options) {
        this.options = new LinkedHashMap<>(canonicalize(options));
    }

    /**
     * Options from a Flink configuration that holds the sink options and a map that holds the
     * {@code sink.properties.*} keys (other keys of the map are ignored), as Flink CDC's StarRocks
     * pipeline connector creates them. Validated like {@link Builder#build()}.
     *
     * @throws StarRocksException naming the option at fault
     */
    public StarRocksSinkOptions(ReadableConfig config, Map<String, String> optionsMap) {
        this(fromConfig(config, optionsMap));
        EngineOptions.validate(options);
    }

    private static Map<String, String> fromConfig(ReadableConfig config, Map<String, String> optionsMap) {
        Map<String, String> raw = new LinkedHashMap<>();
        List<ConfigOption<?>> all = new ArrayList<>(requiredOptions());
        all.addAll(optionalOptions());
        for (ConfigOption<?> option : all) {
            Optional<?> value = config.getOptional(option);
            if (value.isPresent()) {
                raw.put(option.key(), text(value.get()));
            }
        }
        for (Map.Entry<String, String> e : optionsMap.entrySet()) {
            if (e.getKey().startsWith(SINK_PROPERTIES_PREFIX)) {
                raw.put(e.getKey(), e.getValue());
            }
        }
        return raw;
    }

    /** A typed option value as the user would write it ({@code load-url}: ';'-separated). */
    private static String text(Object value) {
        if (value instanceof List) {
            StringBuilder sb = new StringBuilder();
            for (Object item : (List<?>) value) {
                if (sb.length() > 0) {
                    sb.append(';');
                }
                sb.append(item);
            }
            return sb.toString();
        }
        return String.valueOf(value);
    }

    /** Options from a map of raw keys and values (as the SQL factory has them); not validated. */
    public static StarRocksSinkOptions of(Map<String, String> options) {
        return new StarRocksSinkOptions(options);
    }

    /** A builder for DataStream jobs: {@code builder().withProperty(k, v)...build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The options as written by the user (canonical keys), for the engine. */
    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(options);
    }

    /**
     * Adds Stream Load properties of one table, which replace the sink's
     * {@code sink.properties.*} key by key for that table (e.g. another {@code format},
     * {@code columns} or {@code partial_update}). Properties added later for the same table
     * replace earlier ones.
     *
     * @throws StarRocksException naming the table and the property at fault
     */
    public StarRocksSinkOptions addTableProperties(StreamLoadTableProperties properties) {
        validateTableProperties(properties);
        tableProperties.add(properties);
        return this;
    }

    /** The properties added with {@link #addTableProperties}, in order. */
    public List<StreamLoadTableProperties> getTablePropertiesList() {
        return Collections.unmodifiableList(tableProperties);
    }

    /** Validates the sink's options with this table's properties in place of the sink's. */
    private void validateTableProperties(StreamLoadTableProperties properties) {
        Map<String, String> overrides = TableHeaders.of(properties);
        Map<String, String> merged = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : options.entrySet()) {
            String key = e.getKey();
            boolean replaced =
                    key.startsWith(SINK_PROPERTIES_PREFIX)
                            && overrides.containsKey(
                                    key.substring(SINK_PROPERTIES_PREFIX.length()).toLowerCase(Locale.ROOT));
            if (!replaced) {
                merged.put(key, e.getValue());
            }
        }
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            merged.put(SINK_PROPERTIES_PREFIX + e.getKey(), e.getValue());
        }
        try {
            EngineOptions.validate(merged);
        } catch (StarRocksException e) {
            throw new StarRocksException(
                    e.kind(),
                    "Stream Load properties of table "
                            + properties.getDatabase()
                            + "."
                            + properties.getTable()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private Configuration typed() {
        if (typed == null) {
            typed = Configuration.fromMap(options);
        }
        return typed;
    }

    public String getJdbcUrl() {
        return options.get(JDBC_URL.key());
    }

    public String getDatabaseName() {
        return options.get(DATABASE_NAME.key());
    }

    public String getTableName() {
        return options.get(TABLE_NAME.key());
    }

    public String getUsername() {
        return options.get(USERNAME.key());
    }

    /** The password; keep it out of logs (this class's {@link #toString()} hides it). */
    public String getPassword() {
        return options.get(PASSWORD.key());
    }

    public String getSinkVersion() {
        return typed().get(SINK_VERSION);
    }

    /** The {@code load-url} entries, or null when it is not set. */
    public List<String> getLoadUrlList() {
        return typed().getOptional(LOAD_URL).orElse(null);
    }

    /** {@code sink.label-prefix}, or null. */
    public String getLabelPrefix() {
        return typed().getOptional(SINK_LABEL_PREFIX).orElse(null);
    }

    /** The delivery guarantee; null only for a value the engine would reject. */
    public StarRocksSinkSemantic getSemantic() {
        return StarRocksSinkSemantic.fromName(typed().get(SINK_SEMANTIC));
    }

    public int getSinkMaxRetries() {
        return typed().get(SINK_MAX_RETRIES);
    }

    public int getRetryIntervalMs() {
        return typed().get(SINK_RETRY_INTERVAL);
    }

    public long getSinkMaxFlushInterval() {
        return typed().get(SINK_BATCH_FLUSH_INTERVAL);
    }

    public long getSinkMaxRows() {
        return typed().get(SINK_BATCH_MAX_ROWS);
    }

    public long getSinkMaxBytes() {
        return typed().get(SINK_BATCH_MAX_SIZE);
    }

    public long getSinkOfferTimeout() {
        return typed().get(SINK_BATCH_OFFER_TIMEOUT);
    }

    /** {@code sink.connect.timeout-ms} clamped to [100, 60000], as the engine uses it. */
    public int getConnectTimeout() {
        return Math.max(100, Math.min(60_000, typed().get(SINK_CONNECT_TIMEOUT)));
    }

    public int getSocketTimeout() {
        return typed().get(SINK_SOCKET_TIMEOUT);
    }

    /** {@code sink.wait-for-continue.timeout-ms} clamped to [3000, 600000], as the engine uses it. */
    public int getWaitForContinueTimeout() {
        return Math.max(3_000, Math.min(600_000, typed().get(SINK_WAIT_FOR_CONTINUE_TIMEOUT)));
    }

    public int getIoThreadCount() {
        return typed().get(SINK_IO_THREAD_COUNT);
    }

    public long getChunkLimit() {
        return typed().get(SINK_CHUNK_LIMIT);
    }

    public long getScanFrequency() {
        return typed().get(SINK_SCAN_FREQUENCY);
    }

    public int getSinkHistogramWindowSize() {
        return typed().get(SINK_METRIC_HISTOGRAM_WINDOW_SIZE);
    }

    /** {@code sink.parallelism}, or null. */
    public Integer getSinkParallelism() {
        return typed().getOptional(SINK_PARALLELISM).orElse(null);
    }

    public boolean getIgnoreUpdateBefore() {
        return typed().get(SINK_IGNORE_UPDATE_BEFORE);
    }

    public boolean getSinkAtLeastOnceUseTransactionStreamLoad() {
        return typed().get(SINK_AT_LEAST_ONCE_USE_TRANSACTION_LOAD);
    }

    public boolean isEnableExactlyOnceLabelGen() {
        return typed().get(SINK_ENABLE_EXACTLY_ONCE_LABEL_GEN);
    }

    public boolean isAbortLingeringTxns() {
        return typed().get(SINK_ABORT_LINGERING_TXNS);
    }

    public int getAbortCheckNumTxns() {
        return typed().get(SINK_ABORT_CHECK_NUM_TXNS);
    }

    public boolean isUseUnifiedSinkApi() {
        return useNewSinkApi();
    }

    public boolean useNewSinkApi() {
        return Boolean.parseBoolean(
                options.getOrDefault(
                        SINK_USE_NEW_SINK_API.key(),
                        String.valueOf(SINK_USE_NEW_SINK_API.defaultValue())));
    }

    public boolean isWrapJsonAsArray() {
        return typed().get(SINK_WRAP_JSON_AS_ARRAY);
    }

    /** The {@code sink.properties.*} options with the prefix removed and the name lower-cased. */
    public Map<String, String> getSinkStreamLoadProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (e.getKey().startsWith(SINK_PROPERTIES_PREFIX)) {
                props.put(e.getKey().substring(SINK_PROPERTIES_PREFIX.length()).toLowerCase(Locale.ROOT), e.getValue());
            }
        }
        return props;
    }

    /** Whether {@code sink.properties.columns} is set. */
    public boolean hasColumnMappingProperty() {
        return getSinkStreamLoadProperties().containsKey("columns");
    }

    /** JSON when {@code sink.properties.format} is {@code json} (any case), else CSV. */
    public StreamLoadFormat getStreamLoadFormat() {
        String format = getSinkStreamLoadProperties().get("format");
        return format != null && format.trim().equalsIgnoreCase("json") ? StreamLoadFormat.JSON : StreamLoadFormat.CSV;
    }

    /** The format of the rows a sink sends. */
    public enum StreamLoadFormat {
        CSV,
        JSON
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>(options);
        if (shown.containsKey(PASSWORD.key())) {
            shown.put(PASSWORD.key(), "******");
        }
        for (String url : Arrays.asList(JDBC_URL.key(), LOAD_URL.key())) {
            if (shown.containsKey(url)) {
                shown.put(url, UrlCredentials.hide(shown.get(url)));
            }
        }
        return "StarRocksSinkOptions" + shown + (tableProperties.isEmpty() ? "" : " with table properties " + tableProperties);
    }

    /**
     * Collects options for a DataStream job; {@link #build()} validates them through the engine,
     * so a mistake fails where the job is built, with the option named.
     */
    public static final class Builder {
        private final LinkedHashMap<String, String> properties = new LinkedHashMap<>();

        public Builder() {}

        /** Sets an option (a key of the option table, or {@code sink.properties.<header>}). */
        public Builder withProperty(String key, String value) {
            if (key == null || value == null) {
                throw new StarRocksException(
                        StarRocksException.Kind.CONFIG,
                        "option '" + key + "' needs a key and a value (use '' for an empty value)");
            }
            properties.put(key, value);
            return this;
        }

        /** @throws StarRocksException naming the option at fault */
        public StarRocksSinkOptions build() {
            StarRocksSinkOptions built = new StarRocksSinkOptions(properties);
            EngineOptions.validate(built.options);
            return built;
        }
    }
}
