package com.starrocks.connector.flink.benchmark;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.ExplainDetail;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;

/**
 * One benchmark run (benchmarks/run.py starts it in a fresh JVM): a FLIP-27 sequence of {@code
 * rows} numbers turned into a row by a SQL SELECT and inserted into the table that {@code
 * sink-ddl} creates as {@code sink} (this connector, the released one, or Flink's blackhole; the
 * jar on the class path decides which connector 'starrocks' is), on the local MiniCluster.
 *
 * <p>Arguments are {@code key=value}: {@code rows}, {@code parallelism}, {@code checkpoint-ms} (0:
 * none), {@code rows-per-second} (optional, 0: as fast as it goes), {@code explain} (optional: print the plan first), {@code sink-ddl} and {@code select} (files holding the CREATE TABLE
 * statement and the SELECT over {@code seq(id)}). The last line printed is {@code BENCHMARK
 * {json}}: wall time, process CPU, GC, the sampled peak of heap used and the peak resident set of
 * the JVM, and the job's checkpoint statistics from the REST API.
 */
public final class SinkBenchmark {
    private SinkBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("arguments are key=value, got: " + arg);
            }
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        long rows = Long.parseLong(required(a, "rows"));
        int parallelism = Integer.parseInt(required(a, "parallelism"));
        long checkpointMs = Long.parseLong(required(a, "checkpoint-ms"));
        long rowsPerSecond = Long.parseLong(a.getOrDefault("rows-per-second", "0"));
        String sinkDdl = read(required(a, "sink-ddl"));
        String select = read(required(a, "select"));

        Configuration conf = new Configuration();
        conf.setString("rest.bind-port", "0");
        conf.setString("web.checkpoints.history", "1000");
        // A run measures one attempt: any failure fails it (no restart replays rows unseen).
        conf.setString("restart-strategy.type", "none");
        // Checkpoints on disk: the legacy datagen source's state outgrows the JobManager's 5 MB.
        conf.setString("state.checkpoint-storage", "filesystem");
        conf.setString("state.checkpoints.dir",
                Files.createTempDirectory("benchmark-checkpoints").toUri().toString());
        MiniClusterConfiguration clusterConf =
                new MiniClusterConfiguration.Builder()
                        .setConfiguration(conf)
                        .setNumTaskManagers(1)
                        .setNumSlotsPerTaskManager(parallelism)
                        .build();
        MiniCluster cluster = new MiniCluster(clusterConf);
        try {
            cluster.start();
            URI rest = cluster.getRestAddress().get();
            StreamExecutionEnvironment env =
                    StreamExecutionEnvironment.createRemoteEnvironment(rest.getHost(), rest.getPort(), conf);
            env.setParallelism(parallelism);
            if (checkpointMs > 0) {
                env.enableCheckpointing(checkpointMs);
            }
            StreamTableEnvironment tables = StreamTableEnvironment.create(env);
            if (rowsPerSecond > 0) {
                // Throttled: SQL's datagen (a legacy source; it holds its numbers in a deque).
                tables.executeSql("CREATE TEMPORARY TABLE seq (id BIGINT) WITH ('connector' = 'datagen',"
                        + " 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '" + rows
                        + "', 'rows-per-second' = '" + rowsPerSecond + "')");
            } else {
                tables.createTemporaryView("seq", tables.fromDataStream(env.fromSequence(1, rows)).as("id"));
            }
            tables.executeSql(sinkDdl);

            if (Boolean.parseBoolean(a.getOrDefault("explain", "false"))) {
                System.out.println(tables.explainSql("INSERT INTO sink " + select, ExplainDetail.JSON_EXECUTION_PLAN));
            }
            HeapSampler sampler = new HeapSampler();
            long gcBefore = gcMillis();
            long cpuBefore = processCpuNanos();
            long start = System.nanoTime();
            sampler.start();
            TableResult result = tables.executeSql("INSERT INTO sink " + select);
            result.await();
            long wallNanos = System.nanoTime() - start;
            long cpuNanos = processCpuNanos() - cpuBefore;
            long gcMillis = gcMillis() - gcBefore;
            sampler.stop();
            String jobId = result.getJobClient().orElseThrow(IllegalStateException::new).getJobID().toHexString();
            // The cluster keeps the finished job's statistics, the final checkpoint's included.
            String checkpoints = get(rest.resolve("/jobs/" + jobId + "/checkpoints").toURL());

            StringBuilder json = new StringBuilder("{");
            json.append("\"wall_s\":").append(wallNanos / 1e9);
            json.append(",\"cpu_s\":").append(cpuNanos / 1e9);
            json.append(",\"gc_s\":").append(gcMillis / 1e3);
            json.append(",\"heap_peak_bytes\":").append(sampler.heapPeak);
            json.append(",\"rss_peak_bytes\":").append(kiloBytesOfStatus("VmHWM") * 1024);
            json.append(",\"checkpoints\":").append(checkpoints);
            json.append('}');
            System.out.println("BENCHMARK " + json);
        } finally {
            cluster.close();
        }
        // A connector's stray non-daemon thread must not keep the JVM (and the driver) waiting.
        System.exit(0);
    }

    private static String required(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing argument " + key + "=...");
        }
        return v;
    }

    private static String read(String path) throws IOException {
        return new String(Files.readAllBytes(Paths.get(path)), StandardCharsets.UTF_8).trim();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    /** Samples the heap in use every 20 ms (its peak, as a collector's view, between collections). */
    private static final class HeapSampler implements Runnable {
        private final Thread thread = new Thread(this, "benchmark-heap-sampler");
        private volatile boolean running = true;
        private volatile long heapPeak;

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        @Override
        public void run() {
            while (running) {
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                if (used > heapPeak) {
                    heapPeak = used;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static String get(URL url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(5000);
        try (InputStream in = c.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
            return new String(out.toByteArray(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }

    /** A field of /proc/self/status in kB, e.g. VmHWM (the peak resident set). */
    private static long kiloBytesOfStatus(String field) throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"), StandardCharsets.UTF_8)) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException(field + " not in /proc/self/status");
    }
}
