package com.starrocks.connector.flink.cluster;

import com.starrocks.connector.flink.testing.FlinkJvm;
import com.starrocks.connector.flink.testing.TestPaths;
import com.starrocks.connector.flink.testing.WatchedProcess;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A standalone Flink session cluster started from the real distribution's jars without Flink's
 * shell scripts (JobManager and TaskManagers as separate JVMs), with the connector jar in
 * {@code lib/} (on the cluster's class path).
 */
public final class StandaloneCluster implements AutoCloseable {
    final File dir;
    final File conf;
    final int restPort;
    final String classPath;
    private final File flinkHome;
    private final List<WatchedProcess> processes = new ArrayList<>();
    private final List<String> taskManagerJvmArgs = new ArrayList<>();
    private final Map<String, WatchedProcess> taskManagers = new LinkedHashMap<>();

    StandaloneCluster(File dir, String extraConf) throws IOException {
        this(dir, extraConf, TestPaths.flinkHome(), TestPaths.connectorJar());
    }

    /**
     * A cluster of the Flink distribution {@code flinkHome} with {@code connectorJar} in lib/ (null:
     * none, jobs bring the connector in their jar). Flink 2.x reads its configuration from
     * {@code config.yaml}, 1.x from {@code flink-conf.yaml}.
     */
    public StandaloneCluster(File dir, String extraConf, File flinkHome, File connectorJar) throws IOException {
        this.dir = dir;
        this.flinkHome = flinkHome;
        this.conf = new File(dir, "conf");
        conf.mkdirs();
        restPort = freePort();
        String yaml =
                "jobmanager.rpc.address: localhost\n"
                        + "jobmanager.bind-host: localhost\n"
                        + "jobmanager.rpc.port: " + freePort() + "\n"
                        + "rest.address: localhost\n"
                        + "rest.bind-address: localhost\n"
                        + "rest.port: " + restPort + "\n"
                        + "taskmanager.host: localhost\n"
                        + "taskmanager.bind-host: localhost\n"
                        + "taskmanager.numberOfTaskSlots: 2\n"
                        + "jobmanager.memory.process.size: 1024m\n"
                        + "taskmanager.memory.process.size: 1280m\n"
                        + "heartbeat.interval: 1000\n"
                        + "heartbeat.timeout: 8000\n"
                        + "state.checkpoints.dir: " + new File(dir, "checkpoints").toURI() + "\n"
                        + "restart-strategy.type: fixed-delay\n"
                        + "restart-strategy.fixed-delay.attempts: 1000\n"
                        + "restart-strategy.fixed-delay.delay: 1 s\n"
                        + extraConf;
        String confFile = isFlink2(flinkHome) ? "config.yaml" : "flink-conf.yaml";
        Files.write(new File(conf, confFile).toPath(), yaml.getBytes(StandardCharsets.UTF_8));
        String log4j =
                "rootLogger.level = INFO\n"
                        + "rootLogger.appenderRef.file.ref = File\n"
                        + "appender.file.name = File\n"
                        + "appender.file.type = FILE\n"
                        + "appender.file.fileName = ${sys:log.file}\n"
                        + "appender.file.layout.type = PatternLayout\n"
                        + "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n\n";
        Files.write(new File(conf, "log4j.properties").toPath(), log4j.getBytes(StandardCharsets.UTF_8));
        File lib = new File(flinkHome, "lib");
        classPath = lib.getAbsolutePath() + "/*" + (connectorJar == null ? "" : ":" + connectorJar.getAbsolutePath());
    }

    private static boolean isFlink2(File flinkHome) {
        String[] dist = new File(flinkHome, "lib").list((d, name) -> name.startsWith("flink-dist-2."));
        return dist != null && dist.length > 0;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private List<String> java(String name, List<String> jvmArgs, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + "/bin/java");
        cmd.addAll(FlinkJvm.OPENS);
        cmd.addAll(jvmArgs);
        cmd.add("-Dlog.file=" + new File(dir, name + ".log").getAbsolutePath());
        cmd.add("-Dlog4j.configurationFile=" + new File(conf, "log4j.properties").toURI());
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    public WatchedProcess startJobManager() throws IOException {
        WatchedProcess jm =
                WatchedProcess.start(
                        java("jobmanager", Arrays.asList("-Xmx512m"),
                                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                                Arrays.asList("--configDir", conf.getAbsolutePath())),
                        new File(dir, "jobmanager.out"));
        processes.add(jm);
        return jm;
    }

    /** JVM arguments for the TaskManagers started from now on (e.g. {@code -Djava.io.tmpdir=...}). */
    public void addTaskManagerJvmArgs(String... args) {
        taskManagerJvmArgs.addAll(Arrays.asList(args));
    }

    /**
     * Starts a TaskManager with the memory settings Flink's scripts would compute, and the
     * resource id {@code taskmanager-<n>} (the n-th started), which the REST API shows.
     */
    public WatchedProcess startTaskManager() throws IOException, InterruptedException {
        List<String> utils = new ArrayList<>();
        utils.add(System.getProperty("java.home") + "/bin/java");
        utils.add("-cp");
        utils.add(new File(flinkHome, "bin/bash-java-utils.jar").getAbsolutePath() + ":" + classPath);
        utils.add("org.apache.flink.runtime.util.bash.BashJavaUtils");
        utils.add("GET_TM_RESOURCE_PARAMS");
        utils.add("--configDir");
        utils.add(conf.getAbsolutePath());
        Process p = new ProcessBuilder(utils).redirectErrorStream(true).start();
        List<String> results = new ArrayList<>();
        StringBuilder output = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                output.append(line).append('\n');
                if (line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:")) {
                    results.add(line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()));
                }
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || results.size() < 2) {
            throw new IOException("BashJavaUtils did not compute TaskManager memory:\n" + output);
        }
        List<String> jvm = new ArrayList<>(Arrays.asList(results.get(0).trim().split("\\s+")));
        jvm.addAll(taskManagerJvmArgs);
        List<String> args = new ArrayList<>(Arrays.asList("--configDir", conf.getAbsolutePath()));
        args.addAll(Arrays.asList(results.get(1).trim().split("\\s+")));
        String id = "taskmanager-" + (taskManagers.size() + 1);
        args.addAll(Arrays.asList("-D", "taskmanager.resource-id=" + id));
        WatchedProcess tm =
                WatchedProcess.start(
                        java(id, jvm, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", args),
                        new File(dir, id + ".out"));
        processes.add(tm);
        taskManagers.put(id, tm);
        return tm;
    }

    /** Every TaskManager started (killed ones too), by resource id, in start order. */
    public Map<String, WatchedProcess> taskManagers() {
        return Collections.unmodifiableMap(taskManagers);
    }

    public int restPort() {
        return restPort;
    }

    /** GETs a REST path of the JobManager; null while it does not answer. */
    public String rest(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://localhost:" + restPort + path).openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(5000);
            if (c.getResponseCode() != 200) {
                return null;
            }
            try (BufferedReader r = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
                StringBuilder sb = new StringBuilder();
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    sb.append(line);
                }
                return sb.toString();
            }
        } catch (IOException e) {
            return null;
        }
    }

    /** A client JVM that runs {@code mainClass} of {@code userJar} on the cluster (flink run). */
    public Process submit(File userJar, String mainClass, List<String> args, File log) throws IOException {
        List<String> cliArgs = new ArrayList<>(Arrays.asList("run", "-c", mainClass, userJar.getAbsolutePath()));
        cliArgs.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(java("client", Arrays.asList("-Xmx512m"), "org.apache.flink.client.cli.CliFrontend", cliArgs));
        pb.environment().put("FLINK_CONF_DIR", conf.getAbsolutePath());
        pb.redirectErrorStream(true);
        pb.redirectOutput(log);
        return pb.start();
    }

    public String logs() {
        StringBuilder sb = new StringBuilder();
        File[] files = dir.listFiles((d, n) -> n.endsWith(".log") || n.endsWith(".out"));
        if (files != null) {
            for (File f : files) {
                try {
                    List<String> lines = Files.readAllLines(f.toPath(), StandardCharsets.UTF_8);
                    sb.append("==== ").append(f.getName()).append('\n');
                    for (String l : lines.subList(Math.max(0, lines.size() - 40), lines.size())) {
                        sb.append(l).append('\n');
                    }
                } catch (IOException e) {
                    sb.append("(cannot read ").append(f).append(")\n");
                }
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        for (WatchedProcess p : processes) {
            p.close();
        }
    }
}
