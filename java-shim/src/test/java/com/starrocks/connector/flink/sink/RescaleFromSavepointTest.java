package com.starrocks.connector.flink.sink;

import com.starrocks.connector.flink.testing.Await;
import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.Options;
import com.starrocks.connector.flink.testing.SequenceJobs;
import com.starrocks.connector.flink.testing.TestPaths;
import com.starrocks.connector.flink.testing.SequenceJobs.Api;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.util.Collections;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.Assert.assertTrue;

/**
 * Exactly-once across stop-with-savepoint and rescaling (2 -> 3 -> 1): the table ends exact and no
 * transaction is left PREPARED. Both sink APIs.
 */
public class RescaleFromSavepointTest {
    private static final long ROWS = 150_000L * TestPaths.scale();

    @Rule public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void sinkFunctionRescalesExactly() throws Exception {
        run(Api.SINK_FUNCTION);
    }

    @Test
    public void sinkV2RescalesExactly() throws Exception {
        run(Api.SINK_V2);
    }

    private void run(Api api) throws Exception {
        try (EmulatorProcess emulator = EmulatorProcess.start()) {
            String table = "rescale_" + api.name().toLowerCase();
            emulator.createTable("db", table, "DUPLICATE", Collections.singletonList("id"), SequenceJobs.STARROCKS_COLUMNS);
            Map<String, String> options =
                    Options.with(
                            Options.required(emulator.feHttp(), "db", table),
                            "sink.semantic", "exactly-once",
                            "sink.label-prefix", table);
            String savepoint = null;
            int[] parallelism = {2, 3};
            for (int p : parallelism) {
                savepoint = runUntilProgressThenStop(emulator, table, api, options, p, savepoint);
            }
            // Last run: parallelism 1, to the end.
            Configuration conf = new Configuration();
            conf.setString("execution.savepoint.path", savepoint);
            StreamExecutionEnvironment env = SequenceJobs.environment(1, 300, conf);
            SequenceJobs.build(env, table + "-final", ROWS, 0, SequenceJobs.none(), api, options);
            env.execute(table + "-final");
            SequenceJobs.assertExactlyOnce(emulator.rows("db", table), ROWS);
            for (JsonNode l : emulator.labels("db")) {
                String state = l.get("state").asText();
                assertTrue("label " + l + " left open", !state.equals("PREPARE") && !state.equals("PREPARED"));
            }
        }
    }

    /** Runs a throttled job until more rows landed, then stops it with a savepoint. */
    private String runUntilProgressThenStop(
            EmulatorProcess emulator,
            String table,
            Api api,
            Map<String, String> options,
            int parallelism,
            String restoreFrom)
            throws Exception {
        Configuration conf = new Configuration();
        if (restoreFrom != null) {
            conf.setString("execution.savepoint.path", restoreFrom);
        }
        StreamExecutionEnvironment env = SequenceJobs.environment(parallelism, 300, conf);
        SequenceJobs.build(env, table + "-p" + parallelism, ROWS, 20, SequenceJobs.none(), api, options);
        int before = emulator.rows("db", table).size();
        JobClient job = env.executeAsync(table + "-p" + parallelism);
        Await.until("progress with parallelism " + parallelism, 60_000,
                () -> emulator.rows("db", table).size() >= before + 5_000);
        String path =
                job.stopWithSavepoint(false, tmp.newFolder().toURI().toString(), SavepointFormatType.CANONICAL)
                        .get(120, TimeUnit.SECONDS);
        job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        return path;
    }
}
