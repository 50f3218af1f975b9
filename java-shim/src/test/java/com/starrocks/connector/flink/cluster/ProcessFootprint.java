package com.starrocks.connector.flink.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What a JVM process holds, read from Linux's /proc: threads (and those of the connector's
 * engine, named {@code starrocks-*}), open file descriptors, resident memory, and the copies of
 * the connector's native library that are mapped (each class loader that loaded the library maps
 * its own copy).
 */
final class ProcessFootprint {
    final int threads;
    final int engineThreads;
    final int openFiles;
    final long rssKb;
    final Set<String> nativeLibraries;

    private ProcessFootprint(int threads, int engineThreads, int openFiles, long rssKb, Set<String> nativeLibraries) {
        this.threads = threads;
        this.engineThreads = engineThreads;
        this.openFiles = openFiles;
        this.rssKb = rssKb;
        this.nativeLibraries = nativeLibraries;
    }

    static ProcessFootprint of(long pid) throws IOException {
        File proc = new File("/proc/" + pid);
        File[] tasks = new File(proc, "task").listFiles();
        File[] fds = new File(proc, "fd").listFiles();
        if (tasks == null || fds == null) {
            throw new IOException("process " + pid + " is gone");
        }
        int engine = 0;
        for (File task : tasks) {
            try {
                String name = new String(Files.readAllBytes(new File(task, "comm").toPath()), StandardCharsets.UTF_8);
                if (name.startsWith("starrocks-")) {
                    engine++;
                }
            } catch (IOException threadEnded) {
                // The thread ended while the directory was read.
            }
        }
        long rss = -1;
        for (String line : Files.readAllLines(new File(proc, "status").toPath(), StandardCharsets.UTF_8)) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        Set<String> libraries = new TreeSet<>();
        for (String line : Files.readAllLines(new File(proc, "maps").toPath(), StandardCharsets.UTF_8)) {
            int at = line.indexOf('/');
            if (at >= 0 && line.contains("libstarrocks_flink")) {
                libraries.add(line.substring(at));
            }
        }
        return new ProcessFootprint(tasks.length, engine, fds.length, rss, libraries);
    }

    /** A full garbage collection in the process (so that unreachable class loaders and their libraries go). */
    static void collectGarbage(long pid) throws IOException, InterruptedException {
        Process jcmd =
                new ProcessBuilder(System.getProperty("java.home") + "/bin/jcmd", String.valueOf(pid), "GC.run")
                        .redirectErrorStream(true)
                        .start();
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            jcmd.destroyForcibly();
            throw new IOException("jcmd " + pid + " GC.run failed");
        }
    }

    @Override
    public String toString() {
        return threads + " threads (" + engineThreads + " of the engine), " + openFiles + " open files, RSS "
                + (rssKb >> 10) + " MB, native library copies mapped: " + nativeLibraries.size() + " " + nativeLibraries;
    }
}
