package com.starrocks.connector.flink.cluster;

import com.starrocks.connector.flink.testing.Await;
import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.SequenceJobs;
import com.starrocks.connector.flink.testing.TestPaths;
import com.starrocks.connector.flink.testing.WatchedProcess;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * 50 jobs in one session cluster (25 with the connector in Flink's lib/, 25 with the connector
 * inside the job jar), each loading rows and then cancelled or failed: after every job the
 * TaskManager has no thread of the engine left, and after the last one its threads, open files,
 * resident memory and mapped native-library copies are back at what they were after the warm-up
 * jobs (tolerances below), and no extracted library file is left in its temporary directory.
 */
public class SessionLeakTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int JOBS = 25;
    /** Jobs before the baseline is taken: class loading, JIT and Flink's own pools settle first. */
    private static final int WARM_UP = 5;
    private static final int THREAD_TOLERANCE = 8;
    private static final int FILE_TOLERANCE = 16;
    private static final long RSS_TOLERANCE_MB = 96;
    private static final String JOB_CLASS = "com.starrocks.connector.flink.testjobs.SessionJob";

    private static EmulatorProcess emulator;

    @Rule public TemporaryFolder tmp = new TemporaryFolder();

    @BeforeClass
    public static void startEmulator() throws Exception {
        emulator = EmulatorProcess.start();
    }

    @AfterClass
    public static void stopEmulator() throws Exception {
        emulator.close();
    }

    @Test
    public void jobsLeaveNothingBehindWithTheConnectorInLib() throws Exception {
        runJobs("lib", true);
    }

    @Test
    public void jobsLeaveNothingBehindWithTheConnectorInTheJobJar() throws Exception {
        runJobs("jar", false);
    }

    private void runJobs(String mode, boolean connectorInLib) throws Exception {
        String table = "leak_" + mode;
        emulator.createTable("db", table, "DUPLICATE", Collections.singletonList("id"), SequenceJobs.STARROCKS_COLUMNS);
        File dir = tmp.newFolder(mode);
        File tmpDir = tmp.newFolder(mode + "-tm-tmp");
        try (StandaloneCluster cluster =
                new StandaloneCluster(dir, "", TestPaths.flinkHome(), connectorInLib ? TestPaths.connectorJar() : null)) {
            cluster.addTaskManagerJvmArgs("-Djava.io.tmpdir=" + tmpDir.getAbsolutePath());
            cluster.startJobManager();
            WatchedProcess tm = cluster.startTaskManager();
            Await.until("the TaskManager to register", 120_000,
                    () -> String.valueOf(cluster.rest("/overview")).contains("\"taskmanagers\":1"), cluster::logs);
            ClusterRest rest = new ClusterRest(cluster.restPort);
            String jarId = rest.uploadJar(TestPaths.sessionJobsJar(!connectorInLib));

            ProcessFootprint baseline = null;
            List<String> trace = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                runOne(cluster, rest, jarId, table, mode, i);
                Await.until("no engine thread left in the TaskManager after job " + i, 20_000,
                        () -> ProcessFootprint.of(tm.pid()).engineThreads == 0,
                        () -> "\n" + safeFootprint(tm.pid()));
                if (i == WARM_UP - 1) {
                    baseline = settled(tm.pid());
                    trace.add("baseline after " + WARM_UP + " jobs: " + baseline);
                }
            }
            ProcessFootprint end = settled(tm.pid());
            trace.add("after " + JOBS + " jobs: " + end);
            String report = mode + ": " + String.join("; ", trace);
            System.out.println(report);

            assertTrue(report, end.threads <= baseline.threads + THREAD_TOLERANCE);
            assertTrue(report, end.openFiles <= baseline.openFiles + FILE_TOLERANCE);
            assertTrue(report, end.rssKb <= baseline.rssKb + (RSS_TOLERANCE_MB << 10));
            // In lib/ the system class loader keeps its one copy; a job jar's copy goes with its class
            // loader, so at most the newest job's may still be mapped.
            assertTrue(report, end.nativeLibraries.size() <= (connectorInLib ? 1 : Math.max(1, baseline.nativeLibraries.size())));
            File[] extracted = new File(tmpDir, "starrocks-flink-native").listFiles();
            assertEquals("extracted library files left: " + Arrays.toString(extracted), 0,
                    extracted == null ? 0 : extracted.length);
        }
    }

    private void runOne(StandaloneCluster cluster, ClusterRest rest, String jarId, String table, String mode, int i)
            throws Exception {
        boolean fails = i % 4 == 3;
        List<String> args = new ArrayList<>(Arrays.asList(
                "--api", i % 2 == 0 ? "v1" : "v2",
                "--checkpoint-ms", "500",
                "--fail-after", fails ? "8000" : "0",
                "jdbc-url=" + emulator.jdbcUrl(),
                "load-url=" + emulator.feHttp(),
                "database-name=db",
                "table-name=" + table,
                "username=root",
                "password=",
                "sink.semantic=" + (i % 3 == 0 ? "exactly-once" : "at-least-once"),
                "sink.label-prefix=leak-" + mode + "-" + i,
                "sink.buffer-flush.interval-ms=300"));
        long loadedBefore = emulator.stats().path("rows_loaded").asLong();
        String jobId = rest.run(jarId, JOB_CLASS, args);
        String what = "job " + i + " (" + args.subList(0, 6) + ")";
        if (fails) {
            awaitState(cluster, jobId, "FAILED", what);
        } else {
            Await.until(what + " to load rows", 60_000,
                    () -> emulator.stats().path("rows_loaded").asLong() > loadedBefore, cluster::logs);
            rest.cancel(jobId);
            awaitState(cluster, jobId, "CANCELED", what);
        }
        Await.until("the TaskManager's slots to be free after " + what, 60_000, () -> {
            JsonNode tms = JSON.readTree(String.valueOf(cluster.rest("/taskmanagers"))).path("taskmanagers");
            return tms.size() == 1 && tms.get(0).path("freeSlots").asInt() == tms.get(0).path("slotsNumber").asInt();
        }, cluster::logs);
    }

    private static void awaitState(StandaloneCluster cluster, String jobId, String state, String what) throws Exception {
        Await.until(what + " to be " + state, 60_000, () -> {
            String job = cluster.rest("/jobs/" + jobId);
            return job != null && JSON.readTree(job).path("state").asText().equals(state);
        }, () -> "\n" + cluster.rest("/jobs/" + jobId + "/exceptions") + "\n" + cluster.logs());
    }

    /** The footprint after a full GC, once the mapped library copies stop changing. */
    private static ProcessFootprint settled(long pid) throws Exception {
        ProcessFootprint.collectGarbage(pid);
        ProcessFootprint last = ProcessFootprint.of(pid);
        for (int i = 0; i < 10; i++) {
            Thread.sleep(500);
            ProcessFootprint.collectGarbage(pid);
            ProcessFootprint now = ProcessFootprint.of(pid);
            if (now.nativeLibraries.equals(last.nativeLibraries)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    private static String safeFootprint(long pid) {
        try {
            return ProcessFootprint.of(pid).toString();
        } catch (Exception e) {
            return "(" + e.getMessage() + ")";
        }
    }
}
