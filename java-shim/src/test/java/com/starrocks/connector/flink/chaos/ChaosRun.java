package com.starrocks.connector.flink.chaos;

import com.starrocks.connector.flink.chaos.ChaosOutcome.Verdict;
import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.SequenceJobs;
import com.starrocks.connector.flink.testing.TestPaths;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Executes one plan against the shared emulator and cluster: a fresh database, table and label
 * prefix, the job submitted, the faults played at their times, then the outcome checked against
 * the emulator. Exactly-once: every row exactly once and no transaction left PREPARE/PREPARED;
 * at-least-once: no row missing. A run that has not finished within its {@link HangBound} is hung.
 */
final class ChaosRun {
    private final ChaosPlan plan;
    private final EmulatorProcess emulator;
    private final ChaosCluster cluster;
    private final File dir;

    ChaosRun(ChaosPlan plan, EmulatorProcess emulator, ChaosCluster cluster, File baseDir) {
        this.plan = plan;
        this.emulator = emulator;
        this.cluster = cluster;
        this.dir = new File(baseDir, "seed-" + plan.seed);
    }

    /** One step of the timeline: a fault's start or the end of its window. */
    private static final class Step {
        final long at;
        final ChaosEvent event;
        final boolean start;

        Step(long at, ChaosEvent event, boolean start) {
            this.at = at;
            this.event = event;
            this.start = start;
        }
    }

    ChaosOutcome run() throws Exception {
        deleteRecursively(dir);
        File markers = new File(dir, "markers");
        File savepoints = new File(dir, "savepoints");
        if (!markers.mkdirs() || !savepoints.mkdirs()) {
            throw new IOException("cannot create " + markers + " and " + savepoints);
        }
        cluster.reset();
        emulator.clearFaults();
        emulator.createTable(plan.database(), plan.table(), "DUPLICATE", Collections.singletonList("id"),
                SequenceJobs.STARROCKS_COLUMNS);
        emulator.createTable(plan.database(), LabelSquat.SIDE_TABLE, "DUPLICATE", Collections.singletonList("id"),
                SequenceJobs.STARROCKS_COLUMNS);
        File testJobsJar = TestPaths.testJobsJar();
        List<String> sql = ChaosSql.statements(plan, emulator, markers);
        ChaosJob job = new ChaosJob(plan, cluster, sql, Collections.singletonList(testJobsJar), savepoints);
        RunContext ctx = new RunContext(plan, emulator, cluster, job, dir);
        long bound = new HangBound(plan).totalMillis();
        long started = System.currentTimeMillis();
        long deadline = started + bound;
        Set<ChaosEvent> open = new LinkedHashSet<>();
        try {
            job.submit(plan.parallelism, null);
            if (!job.awaitTasksRunning(HangBound.SUBMIT_MS)) {
                ctx.note("tasks not all running after " + HangBound.SUBMIT_MS / 1000 + " s");
            }
            boolean inTime = play(ctx, System.currentTimeMillis(), deadline, open);
            endWindows(ctx, open);
            emulator.clearFaults();
            if (!inTime || !job.awaitTerminal(Math.max(0, deadline - System.currentTimeMillis()))) {
                return failed(ctx, Verdict.HUNG, "not finished within " + bound / 1000 + " s (job "
                        + job.jobId() + " " + job.status() + ")", started, bound);
            }
            JobStatus end = job.status();
            if (end != JobStatus.FINISHED) {
                return failed(ctx, Verdict.FAILED, "job " + job.jobId() + " ended " + end, started, bound);
            }
            emulator.awaitPublished(plan.database());
            return check(ctx, started, bound);
        } catch (Exception | AssertionError e) {
            return failed(ctx, Verdict.FAILED, "runner error: " + firstLine(e.toString()), stackTrace(e), started, bound);
        } finally {
            endWindows(ctx, open);
            emulator.clearFaults();
        }
    }

    /**
     * Plays the timeline from {@code zero} (the job's tasks run); false if the deadline passed.
     * Faults after the job's end are skipped.
     */
    private boolean play(RunContext ctx, long zero, long deadline, Set<ChaosEvent> open) throws Exception {
        List<Step> steps = new ArrayList<>();
        for (ChaosEvent e : plan.events) {
            steps.add(new Step(e.atMillis(), e, true));
            if (e.untilMillis() > e.atMillis()) {
                steps.add(new Step(e.untilMillis(), e, false));
            }
        }
        steps.sort(Comparator.comparingLong(s -> s.at));
        boolean ended = false;
        for (Step step : steps) {
            while (!ended && System.currentTimeMillis() < zero + step.at) {
                if (System.currentTimeMillis() > deadline) {
                    return false;
                }
                ended = ctx.job.status().isGloballyTerminalState();
                Thread.sleep(100);
            }
            ended = ended || ctx.job.status().isGloballyTerminalState();
            if (!step.start) {
                if (open.remove(step.event)) {
                    step.event.end(ctx);
                }
            } else if (ended) {
                ctx.note("skipped (job ended): " + step.event.describe());
            } else {
                open.add(step.event);
                step.event.start(ctx);
            }
        }
        return System.currentTimeMillis() <= deadline;
    }

    private static void endWindows(RunContext ctx, Set<ChaosEvent> open) throws Exception {
        for (ChaosEvent e : new ArrayList<>(open)) {
            open.remove(e);
            e.end(ctx);
        }
    }

    private ChaosOutcome check(RunContext ctx, long started, long bound) throws Exception {
        RowAudit audit = RowAudit.of(emulator.rows(plan.database(), plan.table()), plan.rows);
        List<String> open = openTransactions();
        long millis = System.currentTimeMillis() - started;
        if (audit.foreign > 0) {
            return failed(ctx, Verdict.FAILED, "corrupt rows: " + audit.describe(), started, bound);
        }
        if (audit.missing > 0) {
            return failed(ctx, Verdict.LOST, audit.describe(), started, bound);
        }
        if (plan.exactlyOnce && audit.duplicates > 0) {
            return failed(ctx, Verdict.DUPLICATED, audit.describe(), started, bound);
        }
        if (plan.exactlyOnce && !open.isEmpty()) {
            return failed(ctx, Verdict.OPEN_TRANSACTIONS, open.size() + " left open: " + open, started, bound);
        }
        String detail = plan.exactlyOnce
                ? "exact " + audit.rows + " rows, 0 open txns"
                : "all " + plan.rows + " ids, " + audit.duplicates + " duplicates, " + open.size() + " open txns"
                        + (open.isEmpty() ? "" : " " + open);
        ChaosOutcome ok = new ChaosOutcome(plan, Verdict.OK, detail, millis, bound, ctx.notes(), null);
        emulator.sql("DROP DATABASE " + plan.database() + " FORCE");
        deleteRecursively(dir);
        return ok;
    }

    /** Labels of the run's sink still PREPARE or PREPARED. */
    private List<String> openTransactions() throws IOException {
        List<String> open = new ArrayList<>();
        for (JsonNode l : emulator.labels(plan.database())) {
            String state = l.get("state").asText();
            if (state.equals("PREPARE") || state.equals("PREPARED")) {
                open.add(l.get("label").asText() + " " + state);
            }
        }
        return open;
    }

    /** A failed run: cancels its job and writes what there is to know into its directory. */
    private ChaosOutcome failed(RunContext ctx, Verdict verdict, String detail, long started, long bound) {
        return failed(ctx, verdict, detail, "", started, bound);
    }

    /** As above, with {@code more} (a stack trace) written into the diagnostics. */
    private ChaosOutcome failed(RunContext ctx, Verdict verdict, String detail, String more, long started, long bound) {
        long millis = System.currentTimeMillis() - started;
        StringBuilder sb = new StringBuilder();
        sb.append(plan.describe()).append("\n-> ").append(verdict).append(' ').append(detail).append("\nnotes: ")
                .append(ctx.notes()).append('\n').append(more).append('\n');
        for (ChaosEvent e : plan.events) {
            if (e instanceof FaultWindow) {
                sb.append("rule of ").append(e.describe()).append(": ").append(((FaultWindow) e).rule()).append('\n');
            }
        }
        for (JobID job : ctx.job.jobs()) {
            sb.append(cluster.diagnostics(job)).append('\n');
        }
        try {
            sb.append("==== labels of ").append(plan.database()).append('\n');
            for (JsonNode l : emulator.labels(plan.database())) {
                sb.append(l).append('\n');
            }
        } catch (IOException e) {
            sb.append("(labels unavailable: ").append(e).append(")\n");
        }
        try {
            ctx.job.cancel();
        } catch (Exception e) {
            sb.append("(could not cancel the job: ").append(stackTrace(e)).append(")\n");
        }
        sb.append("==== cluster logs").append(cluster.logs()).append('\n');
        File diagnostics = new File(dir, "diagnostics.txt");
        try {
            Files.write(diagnostics.toPath(), sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            diagnostics = null;
        }
        return new ChaosOutcome(plan, verdict, detail, millis, bound, ctx.notes(), diagnostics);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    private static void deleteRecursively(File f) throws IOException {
        if (!f.exists()) {
            return;
        }
        try (Stream<java.nio.file.Path> paths = Files.walk(f.toPath())) {
            List<java.nio.file.Path> all = new ArrayList<>();
            paths.forEach(all::add);
            Collections.reverse(all);
            for (java.nio.file.Path p : all) {
                Files.delete(p);
            }
        }
    }
}
