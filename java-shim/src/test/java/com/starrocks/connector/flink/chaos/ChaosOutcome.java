package com.starrocks.connector.flink.chaos;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How one chaos run ended, and its line: the plan, the verdict, the time, what happened on the way. */
final class ChaosOutcome {
    /** Verdicts, in the order the summary counts them. */
    enum Verdict {
        OK("ok"),
        LOST("lost"),
        DUPLICATED("duplicated"),
        OPEN_TRANSACTIONS("open transactions"),
        HUNG("hung"),
        FAILED("other failures");

        final String summaryName;

        Verdict(String summaryName) {
            this.summaryName = summaryName;
        }
    }

    final ChaosPlan plan;
    final Verdict verdict;
    final String detail;
    final long millis;
    final long boundMillis;
    final List<String> notes;
    /** Where a failed run's diagnostics are (null for a run that passed). */
    final File diagnostics;

    ChaosOutcome(ChaosPlan plan, Verdict verdict, String detail, long millis, long boundMillis, List<String> notes,
            File diagnostics) {
        this.plan = plan;
        this.verdict = verdict;
        this.detail = detail;
        this.millis = millis;
        this.boundMillis = boundMillis;
        this.notes = new ArrayList<>(notes);
        this.diagnostics = diagnostics;
    }

    String line() {
        StringBuilder sb = new StringBuilder(plan.describe());
        sb.append(" -> ").append(verdict).append(' ').append(detail);
        sb.append(String.format(Locale.ROOT, ", %.1f s (bound %d s)", millis / 1000.0, boundMillis / 1000));
        if (!notes.isEmpty()) {
            sb.append(' ').append(notes);
        }
        if (diagnostics != null) {
            sb.append(" diagnostics: ").append(diagnostics);
        }
        return sb.toString();
    }
}
