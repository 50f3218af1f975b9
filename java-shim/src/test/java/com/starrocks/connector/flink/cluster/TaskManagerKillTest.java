package com.starrocks.connector.flink.cluster;

import com.starrocks.connector.flink.testing.Await;
import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.SequenceJobs;
import com.starrocks.connector.flink.testing.TestPaths;
import com.starrocks.connector.flink.testing.WatchedProcess;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Collections;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * A standalone Flink cluster (separate JobManager and TaskManager JVMs, the connector jar in
 * lib/) runs an exactly-once SQL job; the TaskManager is killed with SIGKILL mid-job and a new one
 * is started: the job recovers and the table is exact.
 */
public class TaskManagerKillTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ROWS = 60_000L * TestPaths.scale();

    @Rule public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aJobSurvivesASigkilledTaskManagerExactly() throws Exception {
        File dir = tmp.newFolder("cluster");
        try (EmulatorProcess emulator = EmulatorProcess.start();
                StandaloneCluster cluster = new StandaloneCluster(dir, "")) {
            emulator.createTable("db", "killed", "DUPLICATE", Collections.singletonList("id"), SequenceJobs.STARROCKS_COLUMNS);
            cluster.startJobManager();
            WatchedProcess tm = cluster.startTaskManager();
            waitFor("one TaskManager", 120, () -> {
                String overview = cluster.rest("/overview");
                return overview != null && overview.contains("\"taskmanagers\":1");
            }, cluster);

            File script = new File(dir, "job.sql");
            String sql =
                    "SET 'parallelism.default' = '2';\n"
                            + "SET 'execution.checkpointing.interval' = '1 s';\n"
                            + "CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'fields.id.kind' = 'sequence',"
                            + " 'fields.id.start' = '1', 'fields.id.end' = '" + ROWS + "', 'rows-per-second' = '2000');\n"
                            + "CREATE TABLE sink (id BIGINT, payload VARCHAR(64)) WITH ('connector' = 'starrocks',"
                            + " 'jdbc-url' = '" + emulator.jdbcUrl() + "', 'load-url' = '" + emulator.feHttp() + "',"
                            + " 'database-name' = 'db', 'table-name' = 'killed', 'username' = 'root', 'password' = '',"
                            + " 'sink.semantic' = 'exactly-once', 'sink.label-prefix' = 'killed');\n"
                            + "INSERT INTO sink SELECT id, CONCAT('payload-', CAST(id AS STRING)) FROM gen;\n";
            Files.write(script.toPath(), sql.getBytes(StandardCharsets.UTF_8));
            Process client =
                    cluster.submit(TestPaths.examplesJar(), "com.starrocks.connector.flink.examples.SqlScriptRunner",
                            Collections.singletonList(script.getAbsolutePath()), new File(dir, "client.out"));
            try {
                waitFor("the first committed rows", 120, () -> emulator.rows("db", "killed").size() >= 5_000, cluster);
                tm.kill9();
                waitFor("the killed TaskManager to be gone", 30, () -> !tm.childAlive(), cluster);
                cluster.startTaskManager();
                assertTrue("the job did not finish:\n" + cluster.logs(), client.waitFor(300, TimeUnit.SECONDS));
                assertEquals("client exit code:\n" + cluster.logs(), 0, client.exitValue());
            } finally {
                client.destroyForcibly();
            }
            JsonNode jobs = JSON.readTree(cluster.rest("/jobs/overview")).get("jobs");
            assertEquals(jobs.toString(), 1, jobs.size());
            assertEquals("FINISHED", jobs.get(0).get("state").asText());
            // The TaskManager loss really happened to this job and it restarted.
            JsonNode exceptions = JSON.readTree(cluster.rest("/jobs/" + jobs.get(0).get("jid").asText() + "/exceptions"));
            assertTrue(exceptions.toString(), exceptions.get("exceptionHistory").get("entries").size() >= 1);
            SequenceJobs.assertExactlyOnce(emulator.rows("db", "killed"), ROWS);
            for (JsonNode l : emulator.labels("db")) {
                String state = l.get("state").asText();
                assertTrue("label " + l + " left open", !state.equals("PREPARE") && !state.equals("PREPARED"));
            }
        }
    }

    private static void waitFor(String what, int seconds, Await.Condition c, StandaloneCluster cluster) throws Exception {
        Await.until(what, seconds * 1000L, c, () -> "\n" + cluster.logs());
    }
}
