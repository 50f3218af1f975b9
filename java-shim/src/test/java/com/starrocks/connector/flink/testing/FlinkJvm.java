package com.starrocks.connector.flink.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code main} in its own JVM, as a user would: the given jars and a Flink distribution's
 * {@code lib/} on the class path; a job runs on the local MiniCluster that Flink's execution
 * environments give outside a cluster.
 */
public final class FlinkJvm {
    /**
     * The JVM flags Flink needs on Java 17 (as Flink's scripts pass them; Flink 1.15 to 1.17 do not
     * know Java 17 and need them all the more).
     */
    public static final List<String> OPENS =
            Arrays.asList(
                    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED");

    /** What the JVM printed and how it exited. */
    public static final class Result {
        public final int exitCode;
        public final String output;

        Result(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
        }

        /** The last {@code n} lines of the output. */
        public String tail(int n) {
            List<String> lines = Arrays.asList(output.split("\n"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        }
    }

    private FlinkJvm() {}

    /**
     * Runs {@code mainClass} with {@code jars} and {@code flinkHome}/lib on the class path.
     *
     * @throws AssertionError when it runs longer than {@code timeoutSeconds}
     */
    public static Result run(File flinkHome, List<File> jars, String mainClass, List<String> args, long timeoutSeconds)
            throws IOException, InterruptedException {
        return run(flinkHome, jars, mainClass, args, Collections.<String, String>emptyMap(), timeoutSeconds);
    }

    /** {@link #run} with environment variables {@code env} added. */
    public static Result run(
            File flinkHome, List<File> jars, String mainClass, List<String> args, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        File testLogging = new File(TestPaths.repo(), "java-shim/src/test/resources/log4j2-test.properties");
        return run(flinkHome, jars, mainClass, args, env, testLogging, timeoutSeconds);
    }

    /** {@link #run} with environment variables {@code env} added and log4j2 configured by {@code logging}. */
    public static Result run(
            File flinkHome,
            List<File> jars,
            String mainClass,
            List<String> args,
            Map<String, String> env,
            File logging,
            long timeoutSeconds)
            throws IOException, InterruptedException {
        File log = File.createTempFile("flink-jvm-", ".log");
        try {
            List<String> cmd = new ArrayList<>();
            cmd.add(new File(System.getProperty("java.home"), "bin/java").getPath());
            cmd.add("-Xmx512m");
            cmd.addAll(OPENS);
            cmd.add("-Dlog4j.configurationFile=" + logging);
            cmd.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
            cmd.add("-cp");
            cmd.add(classPath(flinkHome, jars));
            cmd.add(mainClass);
            cmd.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(cmd);
            builder.environment().putAll(env);
            Process p =
                    builder
                            .redirectErrorStream(true)
                            .redirectOutput(log)
                            .redirectInput(ProcessBuilder.Redirect.PIPE)
                            .start();
            try {
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    throw new AssertionError(mainClass + " ran longer than " + timeoutSeconds + " s:\n"
                            + new Result(-1, read(log)).tail(60));
                }
                return new Result(p.exitValue(), read(log));
            } finally {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            Files.deleteIfExists(log.toPath());
        }
    }

    /** Like {@link #run}, and fails unless the JVM exits with 0; returns its output. */
    public static String runOk(File flinkHome, List<File> jars, String mainClass, List<String> args, long timeoutSeconds)
            throws IOException, InterruptedException {
        Result r = run(flinkHome, jars, mainClass, args, timeoutSeconds);
        if (r.exitCode != 0) {
            throw new AssertionError(mainClass + " exited with " + r.exitCode + ":\n" + r.tail(60));
        }
        return r.output;
    }

    private static String classPath(File flinkHome, List<File> jars) {
        List<String> entries = new ArrayList<>();
        for (File jar : jars) {
            entries.add(jar.getPath());
        }
        File[] lib = new File(flinkHome, "lib").listFiles((dir, name) -> name.endsWith(".jar"));
        if (lib == null || lib.length == 0) {
            throw new IllegalStateException("no Flink jars in " + flinkHome + "/lib (tools/fetch-flink.sh)");
        }
        Arrays.sort(lib);
        for (File jar : lib) {
            entries.add(jar.getPath());
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String read(File log) throws IOException {
        return new String(Files.readAllBytes(log.toPath()), StandardCharsets.UTF_8);
    }
}
