package com.starrocks.connector.flink.cdc;

import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.FlinkJvm;
import com.starrocks.connector.flink.testing.TestPaths;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * Flink CDC 3.1 pipelines (YAML, Flink CDC's {@code values} test source) into the emulator
 * through {@code sink: type: starrocks}, run by Flink CDC's own command-line client on Flink 1.18:
 * the tables are created, their schema changes (add, rename, drop column) are applied between
 * the rows, and the final tables equal the source's final state; a pipeline whose source fails in
 * the middle of the schema changes restarts from its checkpoint and ends in the same state.
 */
public class FlinkCdcPipelineTest {
    private static final long TIMEOUT_SECONDS = 240;
    private static final String CLI = "org.apache.flink.cdc.cli.CliFrontend";
    private static final String WITH_CHECKPOINTS = "com.starrocks.connector.flink.testjobs.CdcPipelineWithCheckpoints";

    /** The values source's tables are in schema default_schema: the StarRocks database. */
    private static final String DB = "default_schema";

    private EmulatorProcess emulator;

    @Rule public TemporaryFolder tmp = new TemporaryFolder();

    @Before
    public void startEmulator() throws Exception {
        emulator = EmulatorProcess.start();
    }

    @After
    public void stopEmulator() throws Exception {
        emulator.close();
    }

    /**
     * SINGLE_SPLIT_SINGLE_TABLE: create table1 (col1 STRING primary key, col2 STRING), insert
     * 1, 2, 3, add col3, rename col2/col3 to newCol2/newCol3, drop newCol2, delete 1, update 2.
     */
    @Test
    public void theCommandLineClientRunsAPipelineWithSchemaChanges() throws Exception {
        String output = runCli(pipeline("SINGLE_SPLIT_SINGLE_TABLE", ""));
        assertSingleTableEndState(output);
    }

    /** SINGLE_SPLIT_MULTI_TABLES: two tables, schema changes on the first one only. */
    @Test
    public void schemaChangesOfOneTableLeaveTheOtherAlone() throws Exception {
        String output = runCli(pipeline("SINGLE_SPLIT_MULTI_TABLES", ""));
        assertSingleTableEndState(output);
        assertEquals(output, Arrays.asList("col1", "col2"), columns("table2"));
        assertEquals(output, Arrays.asList(row("1", "1"), row("2", "2"), row("3", "3")), sorted(emulator.rows(DB, "table2")));
    }

    /**
     * The source fails at event 5 (the rename, after a checkpoint); the pipeline restarts from the
     * checkpoint, replays what came after it, and the schema changes it applies again are no-ops.
     */
    @Test
    public void aPipelineRestartedInTheMiddleOfSchemaChangesEndsInTheSameState() throws Exception {
        File yaml = pipeline("SINGLE_SPLIT_SINGLE_TABLE", "  failure.injection.index: 5\n");
        List<File> classPath = classPath();
        String output = FlinkJvm.runOk(TestPaths.flinkHome(), classPath, WITH_CHECKPOINTS,
                Arrays.asList(yaml.getAbsolutePath(), "300"), TIMEOUT_SECONDS);
        assertTrue("the source did not fail:\n" + output, output.contains("Artificial Exception"));
        assertSingleTableEndState(output);
    }

    private void assertSingleTableEndState(String output) throws IOException {
        assertEquals(output, Arrays.asList("col1", "newCol3"), columns("table1"));
        assertEquals(output, Arrays.asList(row("2", "x"), row("3", null)), sorted(emulator.rows(DB, "table1")));
    }

    private String runCli(File yaml) throws IOException, InterruptedException {
        File flinkHome = tmp.newFolder("flink-home");
        Files.createDirectories(new File(flinkHome, "conf").toPath());
        Files.write(new File(flinkHome, "conf/flink-conf.yaml").toPath(),
                "parallelism.default: 1\nrest.bind-port: 0\n".getBytes(StandardCharsets.UTF_8));
        File cdcHome = tmp.newFolder("flink-cdc-home");
        Files.createDirectories(new File(cdcHome, "conf").toPath());
        Files.write(new File(cdcHome, "conf/flink-cdc.yaml").toPath(), new byte[0]);
        Map<String, String> env = new HashMap<>();
        env.put("FLINK_HOME", flinkHome.getAbsolutePath());
        env.put("FLINK_CDC_HOME", cdcHome.getAbsolutePath());
        FlinkJvm.Result r = FlinkJvm.run(TestPaths.flinkHome(), classPath(), CLI,
                Arrays.asList(yaml.getAbsolutePath(), "--use-mini-cluster"), env, TIMEOUT_SECONDS);
        assertEquals("the pipeline failed:\n" + r.tail(80), 0, r.exitCode);
        return r.output;
    }

    /** A pipeline from the values source's {@code eventSet} into the emulator. */
    private File pipeline(String eventSet, String sourceOptions) throws IOException {
        String yaml =
                "source:\n"
                        + "  type: values\n"
                        + "  name: values\n"
                        + "  event-set.id: " + eventSet + "\n"
                        + sourceOptions
                        + "sink:\n"
                        + "  type: starrocks\n"
                        + "  name: StarRocks\n"
                        + "  jdbc-url: " + emulator.jdbcUrl() + "\n"
                        + "  load-url: " + emulator.feHttp() + "\n"
                        + "  username: root\n"
                        + "  password: \"\"\n"
                        + "pipeline:\n"
                        + "  name: values to starrocks\n"
                        + "  parallelism: 1\n";
        File f = tmp.newFile("pipeline.yaml");
        Files.write(f.toPath(), yaml.getBytes(StandardCharsets.UTF_8));
        return f;
    }

    private static List<File> classPath() {
        List<File> jars = new ArrayList<>();
        jars.add(TestPaths.connectorJar());
        for (String entry : System.getProperty("starrocks.test.cdcClasspath").split(File.pathSeparator)) {
            jars.add(new File(entry));
        }
        return jars;
    }

    private List<String> columns(String table) throws IOException {
        JsonNode rows = emulator.sql("select COLUMN_NAME from information_schema.COLUMNS where TABLE_SCHEMA = '" + DB
                + "' and TABLE_NAME = '" + table + "' order by ORDINAL_POSITION").get("rows");
        List<String> names = new ArrayList<>();
        for (JsonNode r : rows) {
            names.add(r.get(0).asText());
        }
        return names;
    }

    private static List<List<String>> sorted(List<List<String>> rows) {
        List<List<String>> copy = new ArrayList<>(rows);
        copy.sort((a, b) -> a.get(0).compareTo(b.get(0)));
        return copy;
    }

    private static List<String> row(String... values) {
        return Collections.unmodifiableList(Arrays.asList(values));
    }
}
