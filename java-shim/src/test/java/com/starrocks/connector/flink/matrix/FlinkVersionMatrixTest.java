package com.starrocks.connector.flink.matrix;

import com.starrocks.connector.flink.cluster.StandaloneCluster;
import com.starrocks.connector.flink.testing.Await;
import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.FlinkJvm;
import com.starrocks.connector.flink.testing.MixedTypes;
import com.starrocks.connector.flink.testing.Rows;
import com.starrocks.connector.flink.testing.SequenceJobs;
import com.starrocks.connector.flink.testing.SqlJobs;
import com.starrocks.connector.flink.testing.TestPaths;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

/**
 * Each selected connector jar on its own Flink version ({@code -PmatrixVersions}, see
 * {@code tools/test-matrix.sh}): the jar and the distribution's {@code lib/} in a fresh JVM, as a
 * user runs it. Per version: the jar's build facts; a SQL INSERT of mixed types in CSV and JSON,
 * exact value by value; a bad option refused naming it; an exactly-once SQL job whose task fails
 * once mid-stream (exact count, no open transaction), through the Sink V2 and, on 1.x, the
 * SinkFunction; the StarRocks catalog; the DataStream examples; a jar of another Flink minor refused at job start; and,
 * on the oldest and newest version of the selection, the jar in {@code lib/} of a standalone
 * cluster.
 */
@RunWith(Parameterized.class)
public class FlinkVersionMatrixTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SQL_RUNNER = "com.starrocks.connector.flink.examples.SqlScriptRunner";
    private static final String EXAMPLES = "com.starrocks.connector.flink.examples.datastream.";
    private static final long TIMEOUT_SECONDS = 300;
    private static final long MIXED_ROWS = 20_000;
    private static final long SEQUENCE_ROWS = 20_000;

    private static EmulatorProcess emulator;

    @Rule public TemporaryFolder tmp = new TemporaryFolder();

    private final String version;
    private final String minor;
    private final boolean flink2;
    private final String db;

    public FlinkVersionMatrixTest(String version) {
        this.version = version;
        this.minor = minorOf(version);
        this.flink2 = version.startsWith("2.");
        this.db = "flink_" + minor.replace('.', '_');
    }

    @Parameterized.Parameters(name = "Flink {0}")
    public static List<Object[]> versions() {
        List<Object[]> params = new ArrayList<>();
        for (String v : selection()) {
            params.add(new Object[] {v});
        }
        return params;
    }

    @BeforeClass
    public static void startEmulator() throws Exception {
        emulator = EmulatorProcess.start();
    }

    @AfterClass
    public static void stopEmulator() throws Exception {
        if (emulator != null) {
            emulator.close();
        }
    }

    /**
     * The jar says which Flink it is built for, carries the same native library as every other
     * jar, and has the bytecode that Flink generation runs on (Java 8 for 1.x, 11 for 2.x).
     */
    @Test
    public void theJarIsBuiltForThisFlink() throws Exception {
        try (JarFile jar = new JarFile(connectorJar(minor));
                JarFile reference = new JarFile(TestPaths.connectorJar())) {
            Properties info = new Properties();
            try (InputStream in = jar.getInputStream(jar.getJarEntry("com/starrocks/connector/flink/flink-build.properties"))) {
                info.load(in);
            }
            assertEquals(minor, info.getProperty("flink.minor"));
            assertEquals(version, info.getProperty("flink.version"));
            assertEquals(version, jar.getManifest().getMainAttributes().getValue("Flink-Version"));
            String library = "native/linux-x86_64/libstarrocks_flink.so";
            assertEquals("the native library differs from the one in " + TestPaths.connectorJar().getName(),
                    sha256(reference, library), sha256(jar, library));
            int major = classFileMajor(jar, "com/starrocks/connector/flink/table/sink/v2/StarRocksSink.class");
            assertEquals(flink2 ? 55 : 52, major);
        }
    }

    private static String sha256(JarFile jar, String entry) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = jar.getInputStream(jar.getJarEntry(entry))) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return new BigInteger(1, digest.digest()).toString(16);
    }

    private static int classFileMajor(JarFile jar, String entry) throws IOException {
        try (DataInputStream in = new DataInputStream(jar.getInputStream(jar.getJarEntry(entry)))) {
            in.readInt();
            in.readUnsignedShort();
            return in.readUnsignedShort();
        }
    }

    /**
     * CSV through the SQL default API (the SinkFunction on 1.x; on 2.x, asked for explicitly, the
     * Sink V2 with a warning that says so) and JSON through the Sink V2.
     */
    @Test
    public void sqlInsertOfMixedTypesLandsExactly() throws Exception {
        for (String table : Arrays.asList("types_csv", "types_json")) {
            emulator.createTable(db, table, "DUPLICATE", Collections.singletonList("id"), MixedTypes.STARROCKS_COLUMNS);
        }
        String[] csvOptions = flink2
                ? new String[] {"sink.properties.format", "csv", "sink.use.new-sink-api", "false"}
                : new String[] {"sink.properties.format", "csv"};
        String script =
                "SET 'parallelism.default' = '2';\n"
                        + "SET 'rest.bind-port' = '0';\n"
                        + "CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'fields.id.kind' = 'sequence',"
                        + " 'fields.id.start' = '1', 'fields.id.end' = '" + MIXED_ROWS + "', 'rows-per-second' = '100000000');\n"
                        + "CREATE TABLE types_csv (" + MixedTypes.FLINK_COLUMNS + ") WITH ("
                        + SqlJobs.sinkWith(emulator, db, "types_csv", csvOptions) + ");\n"
                        + "CREATE TABLE types_json (" + MixedTypes.FLINK_COLUMNS + ") WITH ("
                        + SqlJobs.sinkWith(emulator, db, "types_json", "sink.properties.format", "json",
                                "sink.use.new-sink-api", "true") + ");\n"
                        + "INSERT INTO types_csv " + MixedTypes.SELECT + ";\n"
                        + "INSERT INTO types_json " + MixedTypes.SELECT + ";\n";
        String output = runSql(script, connectorJar(minor));
        if (flink2) {
            assertTrue("no warning that 2.x runs the Sink V2:\n" + output,
                    output.contains("'sink.use.new-sink-api' = 'false' asks for the SinkFunction API, which Flink 2.x"
                            + " does not have; the table uses the Sink V2 API"));
        }
        for (String table : Arrays.asList("types_csv", "types_json")) {
            List<List<String>> rows = new ArrayList<>(emulator.rows(db, table));
            assertEquals(table + " on Flink " + version, MIXED_ROWS, rows.size());
            rows.sort(Comparator.comparingLong(r -> Long.parseLong(r.get(0))));
            for (int i = 0; i < MIXED_ROWS; i++) {
                Rows.assertRow(i + 1, MixedTypes.STARROCKS_COLUMNS, MixedTypes.expected(i + 1), rows.get(i));
            }
        }
    }

    /** Options validate as on every other version: a bad value fails planning, naming the option. */
    @Test
    public void aBadOptionFailsPlanningNamingIt() throws Exception {
        emulator.createTable(db, "bad_option", "DUPLICATE", Collections.singletonList("id"), SequenceJobs.STARROCKS_COLUMNS);
        String script =
                "SET 'rest.bind-port' = '0';\n"
                        + "CREATE TABLE bad_option (id BIGINT, payload VARCHAR(64)) WITH ("
                        + SqlJobs.sinkWith(emulator, db, "bad_option", "sink.semantic", "exactly-twice") + ");\n"
                        + "INSERT INTO bad_option VALUES (1, 'one');\n";
        FlinkJvm.Result r = FlinkJvm.run(flinkHome(), Arrays.asList(connectorJar(minor), examplesJar()), SQL_RUNNER,
                Collections.singletonList(writeScript(script).getAbsolutePath()), TIMEOUT_SECONDS);
        assertNotEquals("a bad option was accepted on Flink " + version, 0, r.exitCode);
        assertTrue("the error does not name the option:\n" + r.tail(80),
                r.output.contains("Invalid options of StarRocks sink table") && r.output.contains("sink.semantic"));
        assertEquals(Collections.emptyList(), emulator.rows(db, "bad_option"));
    }

    /** Sink V2 everywhere; the SinkFunction too where Flink has it (1.x). */
    @Test
    public void exactlyOnceSurvivesATaskFailure() throws Exception {
        List<String> apis = flink2 ? Collections.singletonList("v2") : Arrays.asList("v2", "v1");
        StringBuilder script =
                new StringBuilder(
                        "SET 'parallelism.default' = '2';\n"
                                + "SET 'rest.bind-port' = '0';\n"
                                + "SET 'execution.checkpointing.interval' = '500 ms';\n"
                                // fail_once in its own task, not chained to the legacy source
                                // (see FailOnce: chained, Flink itself can lose the record).
                                + "SET 'pipeline.operator-chaining' = 'false';\n"
                                + "CREATE TEMPORARY FUNCTION fail_once AS 'com.starrocks.connector.flink.testjobs.FailOnce';\n"
                                + "CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'fields.id.kind' = 'sequence',"
                                + " 'fields.id.start' = '1', 'fields.id.end' = '" + SEQUENCE_ROWS + "',"
                                + " 'rows-per-second' = '4000');\n");
        List<File> markers = new ArrayList<>();
        for (String api : apis) {
            String table = "exactly_once_" + api;
            emulator.createTable(db, table, "DUPLICATE", Collections.singletonList("id"), SequenceJobs.STARROCKS_COLUMNS);
            File marker = new File(tmp.getRoot(), "failed-" + api);
            markers.add(marker);
            script.append("CREATE TABLE ").append(table).append(" (id BIGINT, payload VARCHAR(64)) WITH (")
                    .append(SqlJobs.sinkWith(emulator, db, table,
                            "sink.semantic", "exactly-once",
                            "sink.label-prefix", db + "-" + api,
                            "sink.use.new-sink-api", String.valueOf(api.equals("v2"))))
                    .append(");\n");
            script.append("INSERT INTO ").append(table)
                    .append(" SELECT fail_once(id, CAST(").append(SEQUENCE_ROWS / 2).append(" AS BIGINT), '")
                    .append(marker.getAbsolutePath()).append("'), CONCAT('payload-', CAST(id AS STRING)) FROM gen;\n");
        }
        runSql(script.toString(), connectorJar(minor), testJobsJar());
        emulator.awaitPublished(db);
        for (int i = 0; i < apis.size(); i++) {
            assertTrue("the failure was not injected (" + apis.get(i) + ")", markers.get(i).exists());
            SequenceJobs.assertExactlyOnce(emulator.rows(db, "exactly_once_" + apis.get(i)), SEQUENCE_ROWS);
        }
        assertNoOpenTransaction();
    }

    /**
     * The StarRocks catalog from SQL (its tables are built with each Flink generation's API): a
     * table it creates and one that exists already are loaded through it without CREATE TABLE.
     */
    @Test
    public void theCatalogCreatesAndLoadsTables() throws Exception {
        String catalogDb = db + "_catalog";
        emulator.createTable(catalogDb, "existing", "PRIMARY", Collections.singletonList("id"),
                "id BIGINT NOT NULL", "name VARCHAR(32)");
        String script =
                "SET 'rest.bind-port' = '0';\n"
                        + "CREATE CATALOG sr WITH ('type' = 'starrocks', 'jdbc-url' = '" + emulator.jdbcUrl()
                        + "', 'load-url' = '" + emulator.feHttp() + "', 'username' = 'root', 'password' = '');\n"
                        + "CREATE TABLE sr." + catalogDb + ".created (id INT, amount DECIMAL(10, 2),"
                        + " PRIMARY KEY (id) NOT ENFORCED);\n"
                        + "INSERT INTO sr." + catalogDb + ".created VALUES (1, 1.25), (2, 2.50);\n"
                        + "INSERT INTO sr." + catalogDb + ".existing VALUES (7, 'seven');\n";
        runSql(script, connectorJar(minor));
        assertEquals(Arrays.asList(Arrays.asList("1", "1.25"), Arrays.asList("2", "2.50")),
                emulator.rows(catalogDb, "created"));
        assertEquals(Collections.singletonList(Arrays.asList("7", "seven")), emulator.rows(catalogDb, "existing"));
    }

    @Test
    public void dataStreamExamplesLoadTheirRows() throws Exception {
        for (String example : Arrays.asList("LoadCsvRecords", "LoadCustomJavaRecords")) {
            String table = example.toLowerCase();
            emulator.createTable(db, table, "PRIMARY", Collections.singletonList("id"),
                    "id INT NOT NULL", "name VARCHAR(65533)", "score INT NOT NULL");
            FlinkJvm.runOk(
                    flinkHome(),
                    Arrays.asList(connectorJar(minor), examplesJar()),
                    EXAMPLES + example,
                    Arrays.asList("--load-url", emulator.feHttp(), "--jdbc-url", emulator.jdbcUrl(),
                            "--database", db, "--table", table, "--username", "root"),
                    TIMEOUT_SECONDS);
            String kind = example.equals("LoadCsvRecords") ? "csv" : "rowdata";
            assertEquals(
                    example + " on Flink " + version,
                    Arrays.asList(
                            Arrays.asList("1", "starrocks-" + kind, "100"),
                            Arrays.asList("2", "flink-" + kind, "100"),
                            Arrays.asList("3", null, "0")),
                    emulator.rows(db, table));
        }
    }

    /**
     * The jar of another Flink minor (the other end of the selection, so 1.x and 2.x meet) fails
     * when the job is planned, naming both versions, before anything is loaded.
     */
    @Test
    public void aJarOfAnotherFlinkMinorFailsAtJobStart() throws Exception {
        List<String> selection = selection();
        String other = minorOf(version.equals(selection.get(0)) ? selection.get(selection.size() - 1) : selection.get(0));
        Assume.assumeFalse("the selection has a single Flink minor", other.equals(minor));
        emulator.createTable(db, "wrong_jar", "DUPLICATE", Collections.singletonList("id"), SequenceJobs.STARROCKS_COLUMNS);
        String script =
                "SET 'rest.bind-port' = '0';\n"
                        + "CREATE TABLE wrong_jar (id BIGINT, payload VARCHAR(64)) WITH ("
                        + SqlJobs.sinkWith(emulator, db, "wrong_jar") + ");\n"
                        + "INSERT INTO wrong_jar VALUES (1, 'one');\n";
        FlinkJvm.Result r = FlinkJvm.run(flinkHome(), Arrays.asList(connectorJar(other), examplesJar()), SQL_RUNNER,
                Collections.singletonList(writeScript(script).getAbsolutePath()), TIMEOUT_SECONDS);
        assertNotEquals("the " + other + " jar ran on Flink " + version + ":\n" + r.tail(40), 0, r.exitCode);
        String expected = "flink-connector-starrocks-" + connectorVersion() + "_flink-" + other
                + ".jar is built for Flink " + other;
        assertTrue("no clear message:\n" + r.tail(80), r.output.contains(expected));
        assertTrue("the message does not name the running Flink:\n" + r.tail(80),
                r.output.contains("but this is Flink " + version + ": use flink-connector-starrocks-"
                        + connectorVersion() + "_flink-" + minor + ".jar instead"));
        assertEquals(Collections.emptyList(), emulator.rows(db, "wrong_jar"));
    }

    /**
     * The jar in lib/ of a standalone cluster (JobManager and TaskManager JVMs), exactly-once; while
     * the job runs, the sink's metrics are read through the REST API.
     */
    @Test
    public void jarInLibOfAStandaloneCluster() throws Exception {
        List<String> selection = selection();
        Assume.assumeTrue("runs on the oldest and newest Flink of the selection",
                version.equals(selection.get(0)) || version.equals(selection.get(selection.size() - 1)));
        long rows = 8_000;
        emulator.createTable(db, "cluster", "DUPLICATE", Collections.singletonList("id"), SequenceJobs.STARROCKS_COLUMNS);
        File dir = tmp.newFolder("cluster");
        try (StandaloneCluster cluster = new StandaloneCluster(dir, "metrics.fetcher.update-interval: 500\n", flinkHome(), connectorJar(minor))) {
            cluster.startJobManager();
            cluster.startTaskManager();
            Await.until("one TaskManager", 120_000, () -> {
                String overview = cluster.rest("/overview");
                return overview != null && overview.contains("\"taskmanagers\":1");
            }, () -> "\n" + cluster.logs());
            String script =
                    "SET 'parallelism.default' = '2';\n"
                            + "SET 'execution.checkpointing.interval' = '1 s';\n"
                            + "CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'fields.id.kind' = 'sequence',"
                            + " 'fields.id.start' = '1', 'fields.id.end' = '" + rows + "', 'rows-per-second' = '1000');\n"
                            + "CREATE TABLE sink (id BIGINT, payload VARCHAR(64)) WITH ("
                            + SqlJobs.sinkWith(emulator, db, "cluster", "sink.semantic", "exactly-once",
                                    "sink.label-prefix", db + "-cluster") + ");\n"
                            + "INSERT INTO sink SELECT id, CONCAT('payload-', CAST(id AS STRING)) FROM gen;\n";
            Process client = cluster.submit(examplesJar(), SQL_RUNNER,
                    Collections.singletonList(writeScript(script).getAbsolutePath()), new File(dir, "client.out"));
            try {
                Await.until("the sink's metrics in the REST API", 120_000,
                        () -> sinkMetric(cluster, "totalFlushRows") > 0 && sinkMetric(cluster, "numRecordsSend") > 0,
                        () -> "\n" + cluster.logs());
                assertTrue("the job did not finish:\n" + cluster.logs(), client.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertEquals("client exit code:\n" + cluster.logs(), 0, client.exitValue());
            } finally {
                client.destroyForcibly();
            }
            JsonNode jobs = JSON.readTree(cluster.rest("/jobs/overview")).get("jobs");
            assertEquals(jobs.toString(), 1, jobs.size());
            assertEquals("FINISHED", jobs.get(0).get("state").asText());
        }
        emulator.awaitPublished(db);
        SequenceJobs.assertExactlyOnce(emulator.rows(db, "cluster"), rows);
        assertNoOpenTransaction();
    }

    /**
     * A metric of the running job's sink vertex, summed over its subtasks; 0 while there is none
     * (no job, no such metric yet).
     */
    private static double sinkMetric(StandaloneCluster cluster, String name) throws IOException {
        String overview = cluster.rest("/jobs/overview");
        if (overview == null) {
            return 0;
        }
        for (JsonNode job : JSON.readTree(overview).get("jobs")) {
            if (!"RUNNING".equals(job.get("state").asText())) {
                continue;
            }
            String jid = job.get("jid").asText();
            String detail = cluster.rest("/jobs/" + jid);
            if (detail == null) {
                continue;
            }
            for (JsonNode vertex : JSON.readTree(detail).get("vertices")) {
                String base = "/jobs/" + jid + "/vertices/" + vertex.get("id").asText() + "/subtasks/metrics";
                String list = cluster.rest(base);
                if (list == null) {
                    continue;
                }
                for (JsonNode m : JSON.readTree(list)) {
                    String id = m.get("id").asText();
                    if (id.equals(name) || id.endsWith("." + name)) {
                        String values = cluster.rest(base + "?agg=sum&get=" + URLEncoder.encode(id, "UTF-8"));
                        JsonNode v = values == null ? null : JSON.readTree(values);
                        if (v != null && v.size() > 0 && v.get(0).has("sum")) {
                            return v.get(0).get("sum").asDouble();
                        }
                    }
                }
            }
        }
        return 0;
    }

    /** Runs a SQL script with the SQL runner of the examples; returns its output. */
    private String runSql(String script, File... jars) throws IOException, InterruptedException {
        List<File> classPath = new ArrayList<>(Arrays.asList(jars));
        classPath.add(examplesJar());
        return FlinkJvm.runOk(flinkHome(), classPath, SQL_RUNNER,
                Collections.singletonList(writeScript(script).getAbsolutePath()), TIMEOUT_SECONDS);
    }

    private File writeScript(String script) throws IOException {
        File f = tmp.newFile();
        Files.write(f.toPath(), script.getBytes(StandardCharsets.UTF_8));
        return f;
    }

    private void assertNoOpenTransaction() throws IOException {
        for (JsonNode l : emulator.labels(db)) {
            String state = l.get("state").asText();
            assertTrue("label " + l + " left open on Flink " + version, !state.equals("PREPARE") && !state.equals("PREPARED"));
        }
    }

    private File flinkHome() {
        File home = new File(System.getProperty("starrocks.test.flinkHomes"), version);
        if (!new File(home, "lib").isDirectory()) {
            throw new IllegalStateException("no Flink " + version + " in " + home + ": run tools/fetch-flink.sh " + version);
        }
        return home;
    }

    private static File connectorJar(String minor) {
        File jar = new File(TestPaths.connectorJar().getParentFile(),
                "flink-connector-starrocks-" + connectorVersion() + "_flink-" + minor + ".jar");
        if (!jar.isFile()) {
            throw new IllegalStateException(jar + " is missing: gradle flinkMatrixTest builds the selected jars");
        }
        return jar;
    }

    /** The examples (SQL script runner, DataStream jobs) compiled for this Flink generation. */
    private File examplesJar() {
        return flink2 ? new File(System.getProperty("starrocks.test.examplesJarFlink2")) : TestPaths.examplesJar();
    }

    private static File testJobsJar() {
        return new File(System.getProperty("starrocks.test.testJobsJar"));
    }

    private static String connectorVersion() {
        return System.getProperty("starrocks.test.connectorVersion");
    }

    private static List<String> selection() {
        String matrix = System.getProperty("starrocks.test.matrix", "");
        List<String> versions = new ArrayList<>();
        for (String v : matrix.split(",")) {
            if (!v.trim().isEmpty()) {
                versions.add(v.trim());
            }
        }
        if (versions.isEmpty()) {
            throw new IllegalStateException("starrocks.test.matrix is not set; run gradle flinkMatrixTest");
        }
        return versions;
    }

    private static String minorOf(String version) {
        String[] parts = version.split("\\.");
        return parts[0] + "." + parts[1];
    }
}
