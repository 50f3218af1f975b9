package com.starrocks.connector.flink.chaos;

import com.starrocks.connector.flink.testing.SequenceJobs;

import java.util.ArrayList;
import java.util.List;

/** What a table holds compared to ids 1..n with their payloads: missing, duplicated and foreign rows. */
final class RowAudit {
    final long expected;
    final long rows;
    final long missing;
    /** Copies beyond the first, summed over all ids. */
    final long duplicates;
    /** Rows whose id is outside 1..n or whose payload is not the id's. */
    final long foreign;
    final List<Long> firstMissing = new ArrayList<>();
    final List<Long> firstDuplicated = new ArrayList<>();
    final List<String> firstForeign = new ArrayList<>();

    private RowAudit(long expected, List<List<String>> table) {
        this.expected = expected;
        this.rows = table.size();
        int[] count = new int[(int) expected + 1];
        long foreignRows = 0;
        for (List<String> r : table) {
            long id = Long.parseLong(r.get(0));
            if (id < 1 || id > expected || !SequenceJobs.payload(id).equals(r.get(1))) {
                foreignRows++;
                if (firstForeign.size() < 5) {
                    firstForeign.add(r.toString());
                }
                continue;
            }
            count[(int) id]++;
        }
        long missingIds = 0;
        long extra = 0;
        for (int id = 1; id <= expected; id++) {
            if (count[id] == 0) {
                missingIds++;
                if (firstMissing.size() < 10) {
                    firstMissing.add((long) id);
                }
            } else if (count[id] > 1) {
                extra += count[id] - 1;
                if (firstDuplicated.size() < 10) {
                    firstDuplicated.add((long) id);
                }
            }
        }
        this.missing = missingIds;
        this.duplicates = extra;
        this.foreign = foreignRows;
    }

    static RowAudit of(List<List<String>> table, long expected) {
        return new RowAudit(expected, table);
    }

    boolean exact() {
        return missing == 0 && duplicates == 0 && foreign == 0;
    }

    String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(rows).append(" rows for ").append(expected).append(" ids");
        if (missing > 0) {
            sb.append(", ").append(missing).append(" missing (first ").append(firstMissing).append(')');
        }
        if (duplicates > 0) {
            sb.append(", ").append(duplicates).append(" duplicates (first ").append(firstDuplicated).append(')');
        }
        if (foreign > 0) {
            sb.append(", ").append(foreign).append(" foreign rows (first ").append(firstForeign).append(')');
        }
        return sb.toString();
    }
}
