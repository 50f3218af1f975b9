package com.starrocks.connector.flink.datastream;

import com.starrocks.connector.flink.testing.TestPaths;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code main} of a DataStream example in its own JVM, as a user would: the connector
 * jar, the examples jar and Flink's {@code lib/} on the class path; the job runs on the local
 * MiniCluster that {@code StreamExecutionEnvironment.getExecutionEnvironment()} gives.
 */
final class ExampleRunner {
    static final String PACKAGE = "com.starrocks.connector.flink.examples.datastream.";
    private static final long TIMEOUT_SECONDS = 180;

    /** The JVM flags Flink needs on Java 17 (as the Gradle test task passes them). */
    private static final List<String> OPENS =
            Arrays.asList(
                    "java.base/java.lang",
                    "java.base/java.util",
                    "java.base/java.nio",
                    "java.base/sun.nio.ch",
                    "java.base/java.lang.reflect",
                    "java.base/java.io",
                    "java.base/java.net",
                    "java.base/java.text",
                    "java.base/java.time",
                    "java.base/java.util.concurrent",
                    "java.base/java.util.concurrent.atomic");

    private ExampleRunner() {}

    /**
     * Runs {@code example} (a simple class name) with {@code args}; returns its output.
     *
     * @throws AssertionError when it exits with an error or runs longer than the timeout
     */
    static String run(String example, String... args) throws IOException, InterruptedException {
        File log = File.createTempFile("example-" + example + "-", ".log");
        try {
            List<String> cmd = new ArrayList<>();
            cmd.add(new File(System.getProperty("java.home"), "bin/java").getPath());
            cmd.add("-Xmx512m");
            if (!System.getProperty("java.specification.version").startsWith("1.")) {
                for (String open : OPENS) {
                    cmd.add("--add-opens=" + open + "=ALL-UNNAMED");
                }
            }
            cmd.add("-Dlog4j.configurationFile="
                    + new File(TestPaths.repo(), "java-shim/src/test/resources/log4j2-test.properties"));
            cmd.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
            cmd.add("-cp");
            cmd.add(classPath());
            cmd.add(PACKAGE + example);
            cmd.addAll(Arrays.asList(args));
            Process p =
                    new ProcessBuilder(cmd)
                            .redirectErrorStream(true)
                            .redirectOutput(log)
                            .redirectInput(ProcessBuilder.Redirect.PIPE)
                            .start();
            try {
                if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new AssertionError(example + " ran longer than " + TIMEOUT_SECONDS + " s:\n" + tail(log));
                }
                if (p.exitValue() != 0) {
                    throw new AssertionError(example + " exited with " + p.exitValue() + ":\n" + tail(log));
                }
            } finally {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            return new String(Files.readAllBytes(log.toPath()), StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(log.toPath());
        }
    }

    private static String classPath() {
        List<String> entries = new ArrayList<>();
        entries.add(TestPaths.connectorJar().getPath());
        entries.add(TestPaths.examplesJar().getPath());
        File[] lib = new File(TestPaths.flinkHome(), "lib").listFiles((dir, name) -> name.endsWith(".jar"));
        if (lib == null || lib.length == 0) {
            throw new IllegalStateException("no Flink jars in " + TestPaths.flinkHome() + "/lib");
        }
        Arrays.sort(lib);
        for (File jar : lib) {
            entries.add(jar.getPath());
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String tail(File log) throws IOException {
        List<String> lines = Files.readAllLines(log.toPath(), StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
