package com.starrocks.connector.flink.sink;

import com.starrocks.connector.flink.natives.StarRocksException;
import com.starrocks.connector.flink.testing.Await;
import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.Options;
import com.starrocks.connector.flink.testing.SequenceJobs;
import com.starrocks.connector.flink.testing.SqlJobs;

import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableEnvironment;
import org.junit.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * A dead or unreachable StarRocks fails a Flink job (MiniCluster, no restarts) within the time its
 * options allow, with a root cause that names the endpoint; nothing hangs. The options shorten
 * every wait: connect 1 s, wait-for-continue 3 s (the least the engine takes), socket 1 s.
 */
public class DeadStarRocksTest {
    private static final long CONNECT_MS = 1000;
    private static final long CONTINUE_MS = 3000;
    private static final long SOCKET_MS = 1000;
    /** Starting a MiniCluster, deploying and failing the job, on two shared cores. */
    private static final long JOB_SLACK_MS = 30_000;
    /** From the sink's error to the job's failure reaching the client. */
    private static final long FAILING_SLACK_MS = 5_000;

    private static String[] timeouts(long retries, long intervalMs) {
        return new String[] {
            "sink.at-least-once.use-transaction-stream-load", "false",
            "sink.connect.timeout-ms", String.valueOf(CONNECT_MS),
            "sink.wait-for-continue.timeout-ms", String.valueOf(CONTINUE_MS),
            "sink.socket.timeout-ms", String.valueOf(SOCKET_MS),
            "sink.max-retries", String.valueOf(retries),
            "sink.retry.interval-ms", String.valueOf(intervalMs)
        };
    }

    /**
     * The longest a plain load to a dead StarRocks may take: each of the retries + 1 attempts
     * connects, waits for {@code 100 Continue} and then for the answer, each wait bounded by its
     * timeout; the retries wait their interval in between.
     */
    private static long plainLoadWorstCaseMs(long retries, long intervalMs) {
        return (retries + 1) * (CONNECT_MS + CONTINUE_MS + SOCKET_MS) + retries * intervalMs;
    }

    /** A server that accepts connections and never answers. */
    private static final class SilentServer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0);
        private final List<Socket> held = Collections.synchronizedList(new ArrayList<Socket>());
        private volatile long firstAcceptNanos;
        private final Thread acceptor = new Thread(this::accept, "silent-server");

        SilentServer() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String address() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        int accepted() {
            return held.size();
        }

        private void accept() {
            try {
                while (true) {
                    Socket s = server.accept();
                    if (held.isEmpty()) {
                        firstAcceptNanos = System.nanoTime();
                    }
                    held.add(s);
                }
            } catch (IOException closed) {
                // close() ends the loop
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            synchronized (held) {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    private interface Job {
        void run() throws Exception;
    }

    /** Runs a job that must fail; returns its root cause, checked to be the engine's. */
    private static StarRocksException failure(Job job, long boundMs, String endpoint) throws Exception {
        long started = System.nanoTime();
        try {
            job.run();
        } catch (Exception e) {
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            assertTrue("root cause " + root, root instanceof StarRocksException);
            assertTrue(root.getMessage(), root.getMessage().contains(endpoint));
            assertTrue("failed after " + tookMs + " ms, bound " + boundMs + " ms + " + JOB_SLACK_MS,
                    tookMs <= boundMs + JOB_SLACK_MS);
            return (StarRocksException) root;
        }
        fail("the job did not fail");
        return null;
    }

    private static void sequenceJob(SequenceJobs.Api api, Map<String, String> options) throws Exception {
        StreamExecutionEnvironment env = SequenceJobs.environment(1, 0, new Configuration());
        env.setRestartStrategy(RestartStrategies.noRestart());
        SequenceJobs.build(env, "dead-" + api, 100, 0, SequenceJobs.none(), api, options);
        env.execute("dead StarRocks " + api);
    }

    @Test
    public void anUnreachableStarRocksFailsJobsOfBothSinkApisAfterTheirRetries() throws Exception {
        String endpoint;
        try (ServerSocket s = new ServerSocket(0)) {
            endpoint = "127.0.0.1:" + s.getLocalPort();
        }
        Map<String, String> options = Options.with(Options.required(endpoint, "db", "t"), timeouts(2, 300));
        for (SequenceJobs.Api api : SequenceJobs.Api.values()) {
            StarRocksException e = failure(() -> sequenceJob(api, options), plainLoadWorstCaseMs(2, 300), endpoint);
            assertEquals(e.getMessage(), StarRocksException.Kind.CONNECTION, e.kind());
            assertTrue(e.getMessage(), e.getMessage().contains("cannot connect to " + endpoint));
            assertTrue(e.getMessage(), e.getMessage().contains("gave up after 3 attempts"));
        }
    }

    @Test
    public void aStarRocksThatAcceptsAndNeverAnswersFailsASqlJobWithinItsTimeouts() throws Exception {
        try (EmulatorProcess emulator = EmulatorProcess.start();
                SilentServer silent = new SilentServer()) {
            emulator.createTable("db", "t", "DUPLICATE", Collections.singletonList("id"), SequenceJobs.STARROCKS_COLUMNS);
            TableEnvironment env = SqlJobs.streamingWithoutRestarts(1);
            env.executeSql("CREATE TABLE sink (id BIGINT NOT NULL, payload STRING) WITH ("
                    + SqlJobs.sinkWith(emulator.jdbcUrl(), silent.address(), "db", "t", timeouts(1, 200)) + ")");
            StarRocksException e = failure(
                    () -> env.executeSql("INSERT INTO sink VALUES (1, 'a'), (2, 'b')").await(),
                    plainLoadWorstCaseMs(1, 200),
                    silent.address());
            // Measured from the first connection, the waits alone: both attempts ran out.
            long tookMs = (System.nanoTime() - silent.firstAcceptNanos) / 1_000_000;
            assertEquals(e.getMessage(), StarRocksException.Kind.TIMEOUT, e.kind());
            assertTrue(e.getMessage(), e.getMessage().contains("timed out waiting for the response from " + silent.address()));
            assertTrue(e.getMessage(), e.getMessage().contains("gave up after 2 attempts"));
            assertEquals(2, silent.accepted());
            long leastMs = 2 * (CONTINUE_MS + SOCKET_MS) + 200;
            assertTrue("failed " + tookMs + " ms after the first connection", tookMs >= leastMs);
            assertTrue("failed " + tookMs + " ms after the first connection, bound " + plainLoadWorstCaseMs(1, 200),
                    tookMs <= plainLoadWorstCaseMs(1, 200) + FAILING_SLACK_MS);
        }
    }

    /**
     * Exactly-once: the writer's start asks StarRocks whether it has the transaction interface and
     * looks for transactions a crashed attempt left; each of the two calls is bounded by the
     * connect and socket timeouts.
     */
    @Test
    public void anFeThatStopsAnsweringFailsAnExactlyOnceJobWhenItsWriterStarts() throws Exception {
        try (EmulatorProcess emulator = EmulatorProcess.start()) {
            emulator.createTable("db", "t", "DUPLICATE", Collections.singletonList("id"), SequenceJobs.STARROCKS_COLUMNS);
            emulator.addFault("{\"node\": \"fe\", \"action\": {\"type\": \"delay\", \"ms\": 60000}}");
            Map<String, String> options = Options.with(
                    Options.required(emulator.feHttp(), "db", "t"),
                    "sink.semantic", "exactly-once",
                    "sink.label-prefix", "dead-fe",
                    "sink.connect.timeout-ms", String.valueOf(CONNECT_MS),
                    "sink.socket.timeout-ms", String.valueOf(SOCKET_MS));
            StarRocksException e = failure(
                    () -> sequenceJob(SequenceJobs.Api.SINK_V2, options),
                    2 * (CONNECT_MS + SOCKET_MS),
                    emulator.feHttp());
            assertEquals(e.getMessage(), StarRocksException.Kind.TIMEOUT, e.kind());
            assertTrue(e.getMessage(), e.getMessage().contains("timed out waiting for the response from " + emulator.feHttp()));
        }
    }

    /**
     * Cancelling a job whose sink waits on a StarRocks that never answers ends it at once, whether
     * the sink waits in {@code write} for buffer space (back-pressure) or in the end of input's
     * flush for the loads: the waits give up when Flink interrupts the task's thread. Without a
     * socket timeout (the default) nothing else ends them before the load timeout
     * ('sink.properties.timeout', here 10 s; 600 s by default, longer than Flink's
     * task.cancellation.timeout of 180 s, after which Flink kills the TaskManager).
     */
    @Test
    public void aJobWaitingOnASilentStarRocksIsCancelledAtOnce() throws Exception {
        try (SilentServer silent = new SilentServer()) {
            Map<String, String> options = Options.with(
                    Options.required(silent.address(), "db", "t"),
                    "sink.at-least-once.use-transaction-stream-load", "false",
                    "sink.buffer-flush.max-bytes", "1024",
                    "sink.max-retries", "0",
                    "sink.properties.timeout", "10");
            // An endless source blocks in write; ten rows block in the flush at the end of input.
            long[] rows = {Long.MAX_VALUE - 1, 10};
            for (int i = 0; i < rows.length; i++) {
                StreamExecutionEnvironment env = SequenceJobs.environment(1, 0, new Configuration());
                env.setRestartStrategy(RestartStrategies.noRestart());
                SequenceJobs.build(env, "cancel-" + i, rows[i], 0, SequenceJobs.none(), SequenceJobs.Api.SINK_V2, options);
                JobClient job = env.executeAsync("cancel while waiting " + i);
                int loads = i + 1;
                Await.until("load " + loads + " reaching the silent StarRocks", 60_000, () -> silent.accepted() >= loads);
                Thread.sleep(1000);
                long started = System.nanoTime();
                job.cancel().get(30, TimeUnit.SECONDS);
                try {
                    job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
                    fail("the cancelled job finished");
                } catch (ExecutionException expected) {
                    // cancelled
                }
                long tookMs = (System.nanoTime() - started) / 1_000_000;
                assertTrue("cancelling job " + i + " took " + tookMs + " ms", tookMs < 8_000);
            }
        }
    }
}
