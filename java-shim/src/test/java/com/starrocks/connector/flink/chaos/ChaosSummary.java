package com.starrocks.connector.flink.chaos;

import com.starrocks.connector.flink.chaos.ChaosOutcome.Verdict;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The lines of a batch of chaos runs, printed and appended to a results file as they come (so
 * {@code tools/chaos.sh} can show them while Gradle runs), and the batch's summary line.
 */
final class ChaosSummary {
    private final File results;
    private final Map<Verdict, List<Long>> seeds = new EnumMap<>(Verdict.class);
    private final long started = System.currentTimeMillis();
    private int runs;

    ChaosSummary(File results) throws IOException {
        this.results = results;
        Files.write(results.toPath(), new byte[0]);
        for (Verdict v : Verdict.values()) {
            seeds.put(v, new ArrayList<>());
        }
    }

    void add(ChaosOutcome outcome) throws IOException {
        runs++;
        seeds.get(outcome.verdict).add(outcome.plan.seed);
        print(outcome.line());
    }

    boolean allOk() {
        return seeds.get(Verdict.OK).size() == runs;
    }

    /** {@code chaos: 100 runs, 100 ok, 0 lost, ... (failed seeds: none), 3412 s}. */
    String line() {
        StringBuilder sb = new StringBuilder("chaos: ").append(runs).append(" runs");
        List<String> failed = new ArrayList<>();
        for (Verdict v : Verdict.values()) {
            sb.append(", ").append(seeds.get(v).size()).append(' ').append(v.summaryName);
            if (v != Verdict.OK) {
                for (long seed : seeds.get(v)) {
                    failed.add(seed + " " + v.summaryName);
                }
            }
        }
        sb.append(" (failed seeds: ").append(failed.isEmpty() ? "none" : String.join(", ", failed)).append(')');
        sb.append(String.format(Locale.ROOT, ", %.0f s", (System.currentTimeMillis() - started) / 1000.0));
        return sb.toString();
    }

    void print(String line) throws IOException {
        System.out.println(line);
        Files.write(results.toPath(), (line + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    }
}
