package com.starrocks.connector.flink.chaos;

import com.starrocks.connector.flink.cluster.StandaloneCluster;
import com.starrocks.connector.flink.testing.Await;
import com.starrocks.connector.flink.testing.TestPaths;
import com.starrocks.connector.flink.testing.WatchedProcess;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The standalone Flink cluster that a batch of chaos runs shares (a JobManager and
 * {@link #TASK_MANAGERS} TaskManagers of {@link #SLOTS} slots, enough for parallelism 4), with what
 * the runs need on top of {@link StandaloneCluster}: a REST client for jobs, killing the
 * TaskManager a job runs on, and a reset between runs so that nothing of one run (a job, a killed
 * TaskManager) leaks into the next.
 */
final class ChaosCluster implements AutoCloseable {
    static final int TASK_MANAGERS = 2;
    static final int SLOTS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StandaloneCluster cluster;
    private final RestClusterClient<StandaloneClusterId> client;

    private ChaosCluster(StandaloneCluster cluster, RestClusterClient<StandaloneClusterId> client) {
        this.cluster = cluster;
        this.client = client;
    }

    static ChaosCluster start(File dir) throws Exception {
        StandaloneCluster cluster =
                new StandaloneCluster(dir, "taskmanager.numberOfTaskSlots: " + SLOTS + "\n",
                        TestPaths.flinkHome(), TestPaths.connectorJar());
        try {
            cluster.startJobManager();
            Configuration conf = new Configuration();
            conf.setString("rest.address", "localhost");
            conf.setString("rest.port", String.valueOf(cluster.restPort()));
            ChaosCluster chaos = new ChaosCluster(cluster, new RestClusterClient<>(conf, StandaloneClusterId.getInstance()));
            chaos.reset();
            return chaos;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    int restPort() {
        return cluster.restPort();
    }

    RestClusterClient<StandaloneClusterId> client() {
        return client;
    }

    /** GETs a REST path; null while the JobManager does not answer it. */
    String rest(String path) {
        return cluster.rest(path);
    }

    /**
     * Cancels every job that is not finished, replaces dead TaskManagers (kills surplus ones) and
     * waits until {@link #TASK_MANAGERS} TaskManagers are registered with all their slots free.
     */
    void reset() throws Exception {
        Await.until("the JobManager's REST API", 120_000, () -> rest("/overview") != null, this::logs);
        for (JobStatusMessage job : client.listJobs().get(30, TimeUnit.SECONDS)) {
            if (!job.getJobState().isGloballyTerminalState()) {
                client.cancel(job.getJobId()).get(60, TimeUnit.SECONDS);
            }
        }
        Await.until("every job to end", 60_000, () -> {
            for (JobStatusMessage job : client.listJobs().get(30, TimeUnit.SECONDS)) {
                if (!job.getJobState().isGloballyTerminalState()) {
                    return false;
                }
            }
            return true;
        }, this::logs);
        List<String> live = liveTaskManagers();
        for (int i = live.size(); i < TASK_MANAGERS; i++) {
            cluster.startTaskManager();
        }
        for (String extra : live.subList(Math.min(TASK_MANAGERS, live.size()), live.size())) {
            cluster.taskManagers().get(extra).kill9();
        }
        Await.until(TASK_MANAGERS + " TaskManagers with " + TASK_MANAGERS * SLOTS + " free slots", 120_000, () -> {
            String overview = rest("/overview");
            if (overview == null) {
                return false;
            }
            JsonNode o = JSON.readTree(overview);
            return o.get("taskmanagers").asInt() == TASK_MANAGERS
                    && o.get("slots-available").asInt() == TASK_MANAGERS * SLOTS;
        }, this::logs);
    }

    private List<String> liveTaskManagers() throws IOException, InterruptedException {
        List<String> live = new ArrayList<>();
        for (Map.Entry<String, WatchedProcess> tm : cluster.taskManagers().entrySet()) {
            if (tm.getValue().childAlive()) {
                live.add(tm.getKey());
            }
        }
        return live;
    }

    /**
     * SIGKILL to the TaskManager that runs the first subtask of the job's sink (or the first live
     * one while the job has no task deployed), then a new TaskManager; returns what was killed.
     */
    String killTaskManagerOf(JobID job) throws Exception {
        List<String> live = liveTaskManagers();
        if (live.isEmpty()) {
            return "no TaskManager (none alive)";
        }
        String victim = sinkTaskManager(job);
        String why = "(sink subtask 0)";
        if (!live.contains(victim)) {
            victim = live.get(0);
            why = "(sink subtask 0 not deployed on a live TaskManager)";
        }
        WatchedProcess tm = cluster.taskManagers().get(victim);
        tm.kill9();
        Await.until("the killed " + victim + " to be gone", 30_000, () -> !tm.childAlive());
        cluster.startTaskManager();
        return victim + " " + why;
    }

    /** The resource id of the TaskManager running the sink's subtask 0; null if not deployed. */
    private String sinkTaskManager(JobID job) throws IOException {
        String details = rest("/jobs/" + job);
        if (details == null) {
            return null;
        }
        for (JsonNode vertex : JSON.readTree(details).get("vertices")) {
            // "Sink: Sink(table=...)" (SinkFunction), "sink[3]: Writer" (Sink V2): the first is the writer.
            if (!vertex.get("name").asText().toLowerCase(Locale.ROOT).contains("sink")) {
                continue;
            }
            String subtasks = rest("/jobs/" + job + "/vertices/" + vertex.get("id").asText());
            if (subtasks == null) {
                return null;
            }
            for (JsonNode s : JSON.readTree(subtasks).get("subtasks")) {
                if (s.get("subtask").asInt() == 0 && s.has("taskmanager-id")) {
                    return s.get("taskmanager-id").asText();
                }
            }
        }
        return null;
    }

    /** The job's exception history and every live TaskManager's thread dump, for a failed run's diagnostics. */
    String diagnostics(JobID job) {
        StringBuilder sb = new StringBuilder();
        sb.append("==== job ").append(job).append('\n').append(rest("/jobs/" + job)).append('\n');
        sb.append("==== exceptions\n").append(rest("/jobs/" + job + "/exceptions?maxExceptions=20")).append('\n');
        for (String tm : cluster.taskManagers().keySet()) {
            String dump = rest("/taskmanagers/" + tm + "/thread-dump");
            if (dump == null) {
                continue;
            }
            sb.append("==== thread dump of ").append(tm).append('\n');
            try {
                for (JsonNode t : JSON.readTree(dump).get("threadInfos")) {
                    sb.append(t.get("stringifiedThreadInfo").asText());
                }
            } catch (IOException e) {
                sb.append(dump).append('\n');
            }
        }
        return sb.toString();
    }

    /** The last lines of the JobManager's and TaskManagers' logs. */
    String logs() {
        return "\n" + cluster.logs();
    }

    @Override
    public void close() throws IOException {
        try {
            client.close();
        } finally {
            cluster.close();
        }
    }
}
