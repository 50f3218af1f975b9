package com.starrocks.connector.flink.testing;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child process (e.g. a Flink JobManager) started under a small bash watchdog: the watchdog
 * kills the child when its stdin closes, so the child dies with the test JVM even if the JVM is
 * killed. Output goes to a log file.
 */
public final class WatchedProcess implements AutoCloseable {
    private final Process watchdog;
    private final long childPid;
    private final File log;

    private WatchedProcess(Process watchdog, long childPid, File log) {
        this.watchdog = watchdog;
        this.childPid = childPid;
        this.log = log;
    }

    public static WatchedProcess start(List<String> command, File log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("bash");
        cmd.add("-c");
        cmd.add("log=$1; shift; \"$@\" </dev/null >>\"$log\" 2>&1 & child=$!; echo $child;"
                + " cat >/dev/null; kill -9 $child 2>/dev/null; wait $child 2>/dev/null; exit 0");
        cmd.add("watchdog");
        cmd.add(log.getAbsolutePath());
        cmd.addAll(command);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String pid = out.readLine();
        if (pid == null) {
            p.destroyForcibly();
            throw new IOException("the watchdog did not start " + command);
        }
        return new WatchedProcess(p, Long.parseLong(pid.trim()), log);
    }

    public long pid() {
        return childPid;
    }

    /** SIGKILL to the child (not the watchdog). */
    public void kill9() throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-9", String.valueOf(childPid)).start();
        k.waitFor(10, TimeUnit.SECONDS);
    }

    public boolean childAlive() throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-0", String.valueOf(childPid)).start();
        return k.waitFor(10, TimeUnit.SECONDS) && k.exitValue() == 0;
    }

    /** The last lines of the child's log. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log.toPath(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws IOException {
        watchdog.getOutputStream().close();
        try {
            if (!watchdog.waitFor(20, TimeUnit.SECONDS)) {
                kill9();
                watchdog.destroyForcibly();
            }
        } catch (InterruptedException e) {
            watchdog.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
