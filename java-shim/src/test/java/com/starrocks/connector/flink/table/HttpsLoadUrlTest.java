package com.starrocks.connector.flink.table;

import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.FlinkJvm;
import com.starrocks.connector.flink.testing.SequenceJobs;
import com.starrocks.connector.flink.testing.SqlJobs;
import com.starrocks.connector.flink.testing.TestPaths;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

/**
 * Flink SQL jobs in their own JVM writing to an {@code https://} load-url: the emulator serves TLS
 * on its FE and BE ports with the test certificate of {@code tests/emulator/tls}, and the job's
 * JVM trusts the test CA through {@code SSL_CERT_FILE}, as a user would point it at a private CA.
 * With a trust store that lacks the CA the job fails, and the error names the FE and the reason.
 */
public class HttpsLoadUrlTest {
    private static final String SQL_RUNNER = "com.starrocks.connector.flink.examples.SqlScriptRunner";
    private static final long TIMEOUT_SECONDS = 180;
    private static final String DB = "tls";

    private static EmulatorProcess emulator;

    @Rule public TemporaryFolder tmp = new TemporaryFolder();

    private static File tlsFile(String name) {
        return new File(TestPaths.repo(), "tests/emulator/tls/" + name);
    }

    @BeforeClass
    public static void startEmulator() throws Exception {
        emulator = EmulatorProcess.start(
                "--tls-cert", tlsFile("server.pem").getPath(), "--tls-key", tlsFile("server.key").getPath());
        emulator.createDatabase(DB);
    }

    @AfterClass
    public static void stopEmulator() throws Exception {
        if (emulator != null) {
            emulator.close();
        }
    }

    /** Runs an INSERT of three rows into {@code table} with the given sink options and CA file. */
    private FlinkJvm.Result insert(String table, String caFile, String... extra) throws Exception {
        emulator.createTable(DB, table, "DUPLICATE", Collections.singletonList("id"), SequenceJobs.STARROCKS_COLUMNS);
        String script =
                "SET 'rest.bind-port' = '0';\n"
                        + "SET 'restart-strategy.type' = 'none';\n"
                        + "CREATE TABLE sink (id BIGINT, payload VARCHAR(64)) WITH ("
                        + SqlJobs.sinkWith(emulator.jdbcUrl(), "https://" + emulator.feHttp(), DB, table, extra)
                        + ");\n"
                        + "INSERT INTO sink VALUES (1, 'one'), (2, 'two'), (3, CAST(NULL AS VARCHAR(64)));\n";
        File f = tmp.newFile();
        Files.write(f.toPath(), script.getBytes(StandardCharsets.UTF_8));
        return FlinkJvm.run(
                TestPaths.flinkHome(),
                Arrays.asList(TestPaths.connectorJar(), TestPaths.examplesJar()),
                SQL_RUNNER,
                Collections.singletonList(f.getAbsolutePath()),
                Collections.singletonMap("SSL_CERT_FILE", tlsFile(caFile).getPath()),
                TIMEOUT_SECONDS);
    }

    private static List<String> sortedRows(String table) throws Exception {
        List<String> rows = new ArrayList<>();
        for (List<String> row : emulator.rows(DB, table)) {
            rows.add(String.join(",", row));
        }
        Collections.sort(rows);
        return rows;
    }

    @Test
    public void transactionsAndStreamLoadReachStarRocksOverHttps() throws Exception {
        String[][] modes = {
            {"txn", "sink.at-least-once.use-transaction-stream-load", "true"},
            {"plain", "sink.at-least-once.use-transaction-stream-load", "false"},
        };
        for (String[] mode : modes) {
            String table = "rows_" + mode[0];
            FlinkJvm.Result r = insert(table, "ca.pem", mode[1], mode[2]);
            assertEquals(mode[0] + " job failed:\n" + r.tail(60), 0, r.exitCode);
            assertEquals(mode[0], Arrays.asList("1,one", "2,two", "3,null"), sortedRows(table));
        }
        // The loads went through the FE's https:// redirect to the BE (the emulator logs them).
        assertTrue(emulator.requestCount("/api/transaction/begin") > 0);
        assertTrue(emulator.requestCount("/api/" + DB + "/rows_plain/_stream_load") > 0);
    }

    @Test
    public void anUntrustedCertificateFailsTheJobNamingTheFeAndTheReason() throws Exception {
        FlinkJvm.Result r = insert("rows_untrusted", "other-ca.pem", "sink.max-retries", "0");
        assertNotEquals("the job trusted an unknown CA:\n" + r.tail(60), 0, r.exitCode);
        String expected = "TLS handshake with " + emulator.feHttp() + " failed: invalid peer certificate: UnknownIssuer";
        assertTrue("the error does not name the FE and the reason:\n" + r.tail(80), r.output.contains(expected));
        assertEquals(Collections.emptyList(), emulator.rows(DB, "rows_untrusted"));
    }
}
