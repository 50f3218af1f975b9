package com.starrocks.connector.flink.chaos;

import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.SqlJobs;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The SQL of a chaos run's job: ids 1..rows from a rate-limited, checkpointed sequence source, a
 * payload derived from each id ({@code payload-<id>}, as SequenceJobs checks it), through
 * {@code fail_once} (tests/flink-jobs: a task fails once at a chosen id, remembered in a marker
 * file so that the restarted task passes) into the StarRocks sink. Every submission of a run uses
 * the same statements, so a savepoint of one maps onto the next.
 */
final class ChaosSql {
    private ChaosSql() {}

    /** The statements; {@code fail_once} must be on the class path (the test-jobs jar). */
    static List<String> statements(ChaosPlan plan, EmulatorProcess emulator, File markers) {
        List<String> sql = new ArrayList<>();
        sql.add("CREATE TEMPORARY FUNCTION fail_once AS 'com.starrocks.connector.flink.testjobs.FailOnce'");
        sql.add("CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'fields.id.kind' = 'sequence',"
                + " 'fields.id.start' = '1', 'fields.id.end' = '" + plan.rows + "',"
                + " 'rows-per-second' = '" + plan.rowsPerSecond + "')");
        List<String> with = new ArrayList<>();
        with.add("sink.semantic");
        with.add(plan.exactlyOnce ? "exactly-once" : "at-least-once");
        with.add("sink.use.new-sink-api");
        with.add(String.valueOf(plan.sinkV2));
        with.add("sink.properties.format");
        with.add(plan.format);
        with.add("sink.label-prefix");
        with.add(plan.labelPrefix());
        for (Map.Entry<String, String> e : plan.sink.options().entrySet()) {
            with.add(e.getKey());
            with.add(e.getValue());
        }
        sql.add("CREATE TABLE sink (id BIGINT, payload VARCHAR(64)) WITH ("
                + SqlJobs.sinkWith(emulator, plan.database(), plan.table(), with.toArray(new String[0])) + ")");
        String id = "id";
        for (int i = 0; i < plan.failAtIds.size(); i++) {
            String marker = new File(markers, "fail-" + i + ".marker").getAbsolutePath();
            id = "fail_once(" + id + ", CAST(" + plan.failAtIds.get(i) + " AS BIGINT), '" + marker + "')";
        }
        sql.add("INSERT INTO sink SELECT " + id + ", CONCAT('payload-', CAST(id AS STRING)) FROM gen");
        return sql;
    }
}
