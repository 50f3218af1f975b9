package com.starrocks.connector.flink.security;

import com.starrocks.connector.flink.natives.NativeLogger;
import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.FlinkJvm;
import com.starrocks.connector.flink.testing.MetricDumpReporter;
import com.starrocks.connector.flink.testing.SequenceJobs;
import com.starrocks.connector.flink.testing.TestPaths;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * A known password, configured as a StarRocks user's password in the emulator, appears nowhere but
 * in the {@code Authorization} header of the requests: not in any log line (every logger at DEBUG,
 * the engine's included), exception (with causes) or {@code toString()} of the connector's objects,
 * not in any metric, scope variable or query plan, and not in any header, path or query the emulator
 * recorded nor in the statements it received. Neither does a wrong password of the failing runs.
 * Searched for raw, in base64 and as the base64 of {@code user:password}. The runs are
 * {@link SecretScenarios}, in a JVM of their own.
 */
public class SecretsTest {
    private static final String USER = "secretuser";
    private static final String PASSWORD = "pw-7Gq2-SECRET-zX9";
    private static final String WRONG_PASSWORD = "pw-Wr0ng-4kT8-zX9";
    private static final String DATABASE = "sec";

    @Rule public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void thePasswordIsOnlyInTheAuthorizationHeader() throws Exception {
        File log = tmp.newFile("flink.log");
        File logging = tmp.newFile("log4j2.properties");
        Files.write(logging.toPath(), logConfiguration(log).getBytes(StandardCharsets.UTF_8));
        File services = tmp.newFolder("services");
        File factories = new File(services, "META-INF/services/org.apache.flink.metrics.reporter.MetricReporterFactory");
        assertTrue(factories.getParentFile().mkdirs());
        Files.write(factories.toPath(), MetricDumpReporter.Factory.class.getName().getBytes(StandardCharsets.UTF_8));
        File testClasses = new File(SecretScenarios.class.getProtectionDomain().getCodeSource().getLocation().toURI());

        try (EmulatorProcess emulator = EmulatorProcess.start("--user", USER + ":" + PASSWORD)) {
            for (String table : SecretScenarios.TABLES.keySet()) {
                emulator.createTable(DATABASE, table, "DUPLICATE", Collections.singletonList("id"), SequenceJobs.STARROCKS_COLUMNS);
            }
            String mysql = emulator.jdbcUrl().substring("jdbc:mysql://".length());
            List<String> args = Arrays.asList(
                    emulator.feHttp(), mysql, "127.0.0.1:" + closedPort(), USER, PASSWORD, WRONG_PASSWORD, DATABASE);
            FlinkJvm.Result run = FlinkJvm.run(
                    TestPaths.flinkHome(),
                    Arrays.asList(TestPaths.connectorJar(), testClasses, services),
                    SecretScenarios.class.getName(),
                    args,
                    Collections.<String, String>emptyMap(),
                    logging,
                    240);
            assertEquals("runs not as expected:\n" + run.tail(80), 0, run.exitCode);
            emulator.awaitPublished(DATABASE);
            for (Map.Entry<String, Integer> t : SecretScenarios.TABLES.entrySet()) {
                assertEquals("rows of " + t.getKey(), (long) t.getValue(), emulator.rows(DATABASE, t.getKey()).size());
            }

            String logText = new String(Files.readAllBytes(log.toPath()), StandardCharsets.UTF_8);
            String requests = emulator.requests().toPrettyString();
            String statements = emulator.statements().toPrettyString();
            assertSearchedEverything(run.output, logText, emulator.requests());

            List<String> found = new ArrayList<>();
            for (String password : Arrays.asList(PASSWORD, WRONG_PASSWORD)) {
                for (String secret : forms(password)) {
                    found.addAll(linesWith(secret, "output", run.output));
                    found.addAll(linesWith(secret, "log", logText));
                    found.addAll(linesWith(secret, "emulator request log", requests));
                    found.addAll(linesWith(secret, "emulator statements", statements));
                }
            }
            assertTrue("the password was found:\n" + String.join("\n", found), found.isEmpty());
        }
    }

    /** What the search must have seen, so that finding nothing means something. */
    private static void assertSearchedEverything(String output, String log, JsonNode requests) {
        for (String expected : Arrays.asList(
                "=== run connector-objects succeeded",
                "object com.starrocks.connector.flink.table.sink.StarRocksSinkOptions: StarRocksSinkOptions{",
                "object com.starrocks.connector.flink.sink.EngineWriter",
                "options: StarRocksSinkOptions{",
                "plan:",
                "refused the credentials",
                "Access denied for " + USER)) {
            assertTrue("the output has no '" + expected + "'", output.contains(expected));
        }
        for (String expected : Arrays.asList(
                " DEBUG ",
                NativeLogger.LOGGER_NAME,
                "metric removed",
                "totalFlushRows",
                "currentBufferBytes",
                "refused the credentials")) {
            assertTrue("the log has no '" + expected + "'", log.contains(expected));
        }
        int accepted = 0;
        int refused = 0;
        for (JsonNode r : requests) {
            if (USER.equals(r.path("user").asText()) && r.path("headers").size() > 0) {
                accepted += r.get("status").asInt() == 401 ? 0 : 1;
                refused += r.get("status").asInt() == 401 ? 1 : 0;
            }
        }
        assertTrue("requests with accepted credentials: " + accepted + ", refused: " + refused, accepted > 0 && refused > 0);
    }

    /** The password raw, in base64, and as the base64 of user:password (the Basic credentials). */
    private static List<String> forms(String password) {
        Base64.Encoder b64 = Base64.getEncoder();
        return Arrays.asList(
                password,
                b64.encodeToString(password.getBytes(StandardCharsets.UTF_8)),
                b64.encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> linesWith(String secret, String where, String text) throws IOException {
        List<String> lines = new ArrayList<>();
        BufferedReader r = new BufferedReader(new StringReader(text));
        int n = 0;
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            n++;
            if (line.contains(secret) && lines.size() < 20) {
                lines.add(where + " line " + n + ": " + line);
            }
        }
        return lines;
    }

    /** Every logger at DEBUG into {@code file}, with stack traces. */
    private static String logConfiguration(File file) {
        return String.join("\n",
                "rootLogger.level = DEBUG",
                "rootLogger.appenderRef.file.ref = File",
                "appender.file.name = File",
                "appender.file.type = File",
                "appender.file.fileName = " + file.getAbsolutePath(),
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %t %c - %m%n",
                "");
    }

    /** A loopback port nobody listens on. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
