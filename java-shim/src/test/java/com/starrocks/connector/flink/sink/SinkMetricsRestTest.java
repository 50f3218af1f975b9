package com.starrocks.connector.flink.sink;

import com.starrocks.connector.flink.table.sink.StarRocksDynamicSinkFunction;
import com.starrocks.connector.flink.table.sink.v2.StarRocksSink;
import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.Options;
import com.starrocks.connector.flink.testing.SequenceJobs;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.junit.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * One job writes the same rows through both sink APIs (SinkFunction with plain Stream Load, Sink
 * V2 with transaction Stream Load) on a MiniCluster into the emulator. While it runs, the sinks'
 * metrics are read through Flink's REST API, as the web UI shows them, and carry the real figures;
 * then the source is released and the job finishes.
 */
public class SinkMetricsRestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ROWS = 5_000;
    private static final AtomicBoolean RELEASED = new AtomicBoolean();
    private static final List<LogicalType> TYPES = Arrays.<LogicalType>asList(new BigIntType(false), new VarCharType(64));

    private static final List<String> METRICS =
            Arrays.asList(
                    "numRecordsSend", "numBytesSend", "numRecordsSendErrors", "currentSendTime",
                    "totalInvokeRows", "totalInvokeRowsTimeNs", "totalFlushRows", "totalFlushBytes",
                    "totalFlushSentBytes", "totalFlushTimeNs", "totalFlushTimeNsWithoutRetries",
                    "totalFlushSucceededTimes", "totalFlushFailedTimes", "totalFlushFailedRows",
                    "totalFlushRetry", "totalFilteredRows", "currentBufferBytes", "flushTimeNs_max", "flushTimeNsWithRetry_max", "flushRetry_max",
                    "offerTimeNs_max", "loadTimeMs_max", "streamLoadPutTimeMs_max", "readDataTimeMs_max",
                    "writeDataTimeMs_max", "commitAndPublishTimeMs_max");

    /** Emits ids 1..ROWS, then stays idle until the test releases it. */
    @SuppressWarnings("deprecation")
    private static final class RowsThenWait
            implements org.apache.flink.streaming.api.functions.source.SourceFunction<RowData> {
        private static final long serialVersionUID = 1L;
        private volatile boolean running = true;

        @Override
        public void run(SourceContext<RowData> ctx) throws Exception {
            for (long id = 1; id <= ROWS; id++) {
                synchronized (ctx.getCheckpointLock()) {
                    ctx.collect(GenericRowData.of(id, StringData.fromString(SequenceJobs.payload(id))));
                }
            }
            while (running && !RELEASED.get()) {
                Thread.sleep(20);
            }
        }

        @Override
        public void cancel() {
            running = false;
        }
    }

    @Test
    public void bothSinkApisShowTheirMetricsInFlinksRestApi() throws Exception {
        RELEASED.set(false);
        Configuration conf = new Configuration();
        conf.setString("metrics.fetcher.update-interval", "200");
        conf.setString("restart-strategy.type", "none");
        MiniClusterConfiguration cluster =
                new MiniClusterConfiguration.Builder()
                        .setConfiguration(conf)
                        .setNumTaskManagers(1)
                        .setNumSlotsPerTaskManager(2)
                        .withRandomPorts()
                        .build();
        try (EmulatorProcess emulator = EmulatorProcess.start()) {
            for (String table : new String[] {"m_v1", "m_v2"}) {
                emulator.createTable("db", table, "DUPLICATE", Collections.singletonList("id"), SequenceJobs.STARROCKS_COLUMNS);
            }
            MiniCluster flink = new MiniCluster(cluster);
            try {
                flink.start();
                runAndCheck(flink, emulator);
            } finally {
                RELEASED.set(true);
                flink.close();
            }
        }
    }

    private static void runAndCheck(MiniCluster flink, EmulatorProcess emulator) throws Exception {
        JobID job = flink.submitJob(job(emulator).getStreamGraph().getJobGraph()).get().getJobID();
        String rest = flink.getRestAddress().get().toString();
        try {
            for (String sink : new String[] {"v1-sink", "v2-sink"}) {
                assertSinkMetrics(sink, awaitMetrics(rest, job, sink));
            }
        } finally {
            RELEASED.set(true);
        }
        JobResult result = flink.requestJobResult(job).get(60, TimeUnit.SECONDS);
        assertTrue(String.valueOf(result.getSerializedThrowable()), result.isSuccess());
        assertEquals(ROWS, emulator.rows("db", "m_v1").size());
        assertEquals(ROWS, emulator.rows("db", "m_v2").size());
    }

    private static void assertSinkMetrics(String sink, Map<String, Double> m) {
        String what = sink + " " + m;
        assertEquals(what, ROWS, m.get("numRecordsSend").longValue());
        assertEquals(what, ROWS, m.get("totalFlushRows").longValue());
        assertEquals(what, ROWS, m.get("totalInvokeRows").longValue());
        assertTrue(what, m.get("totalFlushBytes") > ROWS);
        // Neither compressed nor failed: every byte of the rows was sent once.
        assertEquals(what, m.get("totalFlushBytes"), m.get("totalFlushSentBytes"));
        assertEquals(what, m.get("totalFlushSentBytes"), m.get("numBytesSend"));
        assertTrue(what, m.get("totalFlushSucceededTimes") >= 1);
        assertTrue(what, m.get("totalFlushTimeNsWithoutRetries") > 0);
        assertTrue(what, m.get("totalFlushTimeNs") >= m.get("totalFlushTimeNsWithoutRetries"));
        assertTrue(what, m.get("totalInvokeRowsTimeNs") > 0);
        assertTrue(what, m.get("flushTimeNs_max") > 0);
        assertTrue(what, m.get("offerTimeNs_max") > 0);
        assertTrue(what, m.get("loadTimeMs_max") >= 0);
        assertTrue(what, m.get("currentSendTime") >= 0);
        assertTrue(what, m.get("currentBufferBytes") >= 0);
        for (String zero : new String[] {
            "numRecordsSendErrors", "totalFlushFailedTimes", "totalFlushFailedRows", "totalFlushRetry", "totalFilteredRows"
        }) {
            assertEquals(zero + " of " + what, 0L, m.get(zero).longValue());
        }
    }

    @SuppressWarnings("deprecation")
    private static StreamExecutionEnvironment job(EmulatorProcess emulator) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        RowType rowType = RowType.of(TYPES.toArray(new LogicalType[0]), SequenceJobs.COLUMNS.toArray(new String[0]));
        DataStream<RowData> rows =
                env.addSource(new RowsThenWait(), InternalTypeInfo.of(rowType)).setParallelism(1).rebalance();
        rows.addSink(new StarRocksDynamicSinkFunction<>(options(emulator, "m_v1", "sink.at-least-once.use-transaction-stream-load", "false"), encoder("m_v1")))
                .name("v1-sink");
        rows.sinkTo(new StarRocksSink<>(options(emulator, "m_v2"), encoder("m_v2"))).name("v2-sink");
        return env;
    }

    private static Map<String, String> options(EmulatorProcess emulator, String table, String... extra) {
        Map<String, String> base =
                Options.with(Options.required(emulator.feHttp(), "db", table), "sink.buffer-flush.interval-ms", "500");
        return Options.with(base, extra);
    }

    private static RowDataEncoder encoder(String table) {
        return new RowDataEncoder("db", table, SequenceJobs.COLUMNS, TYPES);
    }

    /**
     * The metrics of one sink, summed over its subtasks ({@code _max} histogram entries: the
     * largest), once every row was sent and StarRocks reported its load times; the last values
     * read when that did not happen within 30 s.
     */
    private static Map<String, Double> awaitMetrics(String rest, JobID job, String sink) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        Map<String, Double> values = new HashMap<>();
        while (System.currentTimeMillis() < deadline) {
            values = read(rest, job, sink);
            Double sent = values.get("numRecordsSend");
            Double loadTimes = values.get("loadTimeMs_max");
            if (values.keySet().containsAll(METRICS) && sent != null && sent >= ROWS && loadTimes != null
                    && values.get("flushTimeNs_max") > 0) {
                return values;
            }
            Thread.sleep(200);
        }
        return values;
    }

    private static Map<String, Double> read(String rest, JobID job, String sink) throws IOException {
        Map<String, Double> out = new HashMap<>();
        String vertex = null;
        for (JsonNode v : get(rest, "/jobs/" + job).get("vertices")) {
            if (v.get("name").asText().contains(sink)) {
                vertex = v.get("id").asText();
            }
        }
        if (vertex == null) {
            return out;
        }
        String base = "/jobs/" + job + "/vertices/" + vertex + "/subtasks/metrics";
        Map<String, String> ids = new HashMap<>();
        for (JsonNode m : get(rest, base)) {
            String id = m.get("id").asText();
            for (String name : METRICS) {
                if (id.endsWith("." + name)) {
                    ids.put(id, name);
                }
            }
        }
        if (ids.isEmpty()) {
            return out;
        }
        List<String> encoded = new ArrayList<>();
        for (String id : ids.keySet()) {
            encoded.add(URLEncoder.encode(id, "UTF-8"));
        }
        for (JsonNode m : get(rest, base + "?agg=sum,max&get=" + String.join(",", encoded))) {
            String name = ids.get(m.get("id").asText());
            out.put(name, m.get(name.endsWith("_max") ? "max" : "sum").asDouble());
        }
        return out;
    }

    private static JsonNode get(String rest, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(rest + path).openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        try (InputStream in = c.getInputStream()) {
            return JSON.readTree(in);
        }
    }
}
