package com.starrocks.connector.flink.chaos;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A chaos run's job on the cluster: submitted from this JVM (SQL planned here, run on the cluster),
 * stopped with a savepoint and submitted again from it with another parallelism.
 */
final class ChaosJob {
    /** A checkpoint or savepoint that takes longer fails (and the job restarts). */
    static final long CHECKPOINT_TIMEOUT_MS = 60_000;
    /** How long a rescale keeps trying to stop the job with a savepoint (it fails while the job restarts). */
    static final long STOP_BUDGET_MS = 60_000;
    /** How long one stop-with-savepoint may take: the savepoint, then the tasks ending. */
    static final long STOP_ATTEMPT_MS = CHECKPOINT_TIMEOUT_MS + 30_000;
    /** The longest a rescale's stop can take: the last attempt may start just before the budget ends. */
    static final long STOP_MAX_MS = STOP_BUDGET_MS + STOP_ATTEMPT_MS;

    private final ChaosPlan plan;
    private final ChaosCluster cluster;
    private final List<String> statements;
    private final List<File> jobJars;
    private final File savepoints;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<JobID> jobs = new ArrayList<>();
    private volatile JobID current;

    /**
     * @param jobJars shipped with the job (the classes of functions its SQL uses)
     */
    ChaosJob(ChaosPlan plan, ChaosCluster cluster, List<String> statements, List<File> jobJars, File savepoints) {
        this.plan = plan;
        this.jobJars = jobJars;
        this.cluster = cluster;
        this.statements = statements;
        this.savepoints = savepoints;
    }

    /** Submits the job; from {@code savepoint} unless it is null. */
    void submit(int parallelism, String savepoint) throws IOException {
        Configuration conf = new Configuration();
        conf.setString("pipeline.name", "chaos-" + plan.seed + "-p" + parallelism);
        conf.setString("parallelism.default", String.valueOf(parallelism));
        conf.setString("execution.checkpointing.interval", plan.checkpointMillis + " ms");
        conf.setString("execution.checkpointing.timeout", CHECKPOINT_TIMEOUT_MS + " ms");
        // fail_once in its own task: chained to the legacy datagen source, a checkpoint taken
        // between the failing record and the task's failure could complete past that record.
        conf.setString("pipeline.operator-chaining", "false");
        if (savepoint != null) {
            conf.setString("execution.savepoint.path", savepoint);
        }
        conf.setString("execution.target", "remote");
        conf.setString("rest.address", "localhost");
        conf.setString("rest.port", String.valueOf(cluster.restPort()));
        List<String> jarUrls = new ArrayList<>();
        URL[] urls = new URL[jobJars.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = jobJars.get(i).toURI().toURL();
            jarUrls.add(urls[i].toString());
        }
        conf.set(PipelineOptions.JARS, jarUrls);
        // The planner and the job graph's code generation load the job's functions through this
        // class loader; the cluster gets them from the jars shipped with the job.
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        TableResult result = null;
        try (URLClassLoader loader = new URLClassLoader(urls, before)) {
            thread.setContextClassLoader(loader);
            StreamTableEnvironment tables = StreamTableEnvironment.create(new StreamExecutionEnvironment(conf, loader),
                    EnvironmentSettings.newInstance().inStreamingMode().build());
            for (String statement : statements) {
                result = tables.executeSql(statement);
            }
        } finally {
            thread.setContextClassLoader(before);
        }
        if (result == null || !result.getJobClient().isPresent()) {
            throw new IllegalStateException("the job's INSERT did not start a job: " + statements);
        }
        current = result.getJobClient().get().getJobID();
        jobs.add(current);
    }

    JobID jobId() {
        return current;
    }

    /** Every job this run submitted, oldest first. */
    List<JobID> jobs() {
        return new ArrayList<>(jobs);
    }

    JobStatus status() throws Exception {
        return cluster.client().getJobStatus(current).get(30, TimeUnit.SECONDS);
    }

    /**
     * Stops the job with a savepoint (trying again while the job restarts, for up to
     * {@link #STOP_BUDGET_MS}) and submits it again from there with {@code parallelism}. Returns
     * null when it did, else why it did not.
     */
    String rescale(int parallelism) throws Exception {
        long deadline = System.currentTimeMillis() + STOP_BUDGET_MS;
        String lastError = "no attempt";
        while (System.currentTimeMillis() < deadline) {
            JobStatus before = status();
            if (before.isGloballyTerminalState()) {
                return "skipped: the job was " + before;
            }
            String path;
            try {
                path = cluster.client()
                        .stopWithSavepoint(current, false, savepoints.toURI().toString(), SavepointFormatType.CANONICAL)
                        .get(STOP_ATTEMPT_MS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                lastError = rootMessage(e);
                JobStatus after = status();
                if (after.isGloballyTerminalState()) {
                    return "skipped: the job was " + after + " after a failed stop (" + lastError + ")";
                }
                Thread.sleep(1_000);
                continue;
            }
            awaitTerminal(60_000);
            submit(parallelism, path);
            return null;
        }
        return "skipped: no savepoint within " + STOP_BUDGET_MS / 1000 + " s (" + lastError + ")";
    }

    /**
     * Waits until every task of the current job runs (or already finished): fault times count
     * from there, not from the submission, whose deployment takes 1 to 10 s. False if it did not
     * within {@code millis}.
     */
    boolean awaitTasksRunning(long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            String details = cluster.rest("/jobs/" + current);
            if (details != null && allTasksRunning(JSON.readTree(details))) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static boolean allTasksRunning(JsonNode job) {
        if (job.path("state").asText().equals("FINISHED")) {
            return true;
        }
        JsonNode vertices = job.path("vertices");
        if (vertices.size() == 0) {
            return false;
        }
        for (JsonNode v : vertices) {
            String status = v.path("status").asText();
            if (!status.equals("RUNNING") && !status.equals("FINISHED")) {
                return false;
            }
        }
        return true;
    }

    /** Waits until the current job ended; false if it did not within {@code millis}. */
    boolean awaitTerminal(long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (!status().isGloballyTerminalState()) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    void cancel() throws Exception {
        if (current != null && !status().isGloballyTerminalState()) {
            cluster.client().cancel(current).get(60, TimeUnit.SECONDS);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = String.valueOf(root.getMessage());
        int nl = m.indexOf('\n');
        return root.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl));
    }
}
