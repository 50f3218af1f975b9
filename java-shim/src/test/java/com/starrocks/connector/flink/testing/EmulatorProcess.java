package com.starrocks.connector.flink.testing;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The project's StarRocks emulator (tests/emulator) as a child process, with its control API.
 * It is started with {@code --stop-on-stdin-eof}, so it also dies when the test JVM dies.
 */
public final class EmulatorProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String feHttp;
    private final String control;
    private final String mysql;
    private final List<String> beHttp = new ArrayList<>();
    private final List<String> followerFeHttp = new ArrayList<>();

    private EmulatorProcess(Process process, JsonNode addresses) {
        this.process = process;
        this.feHttp = addresses.get("fe_http").asText();
        this.control = addresses.get("control").asText();
        this.mysql = addresses.get("mysql").asText();
        for (JsonNode be : addresses.get("be_http")) {
            beHttp.add(be.asText());
        }
        JsonNode followers = addresses.get("fe_followers");
        if (followers != null) {
            for (JsonNode fe : followers) {
                followerFeHttp.add(fe.asText());
            }
        }
    }

    /** Starts an emulator with the given extra arguments (e.g. {@code --user u:p}). */
    public static EmulatorProcess start(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(TestPaths.emulatorBinary());
        cmd.add("--stop-on-stdin-eof");
        for (String a : args) {
            cmd.add(a);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> readLine(out));
        String first;
        try {
            first = line.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("the emulator did not print its addresses", e);
        }
        if (first == null) {
            p.destroyForcibly();
            throw new IllegalStateException("the emulator exited before printing its addresses");
        }
        return new EmulatorProcess(p, JSON.readTree(first));
    }

    private static String readLine(BufferedReader r) {
        try {
            return r.readLine();
        } catch (IOException e) {
            return null;
        }
    }

    /** FE HTTP address host:port, as used in {@code load-url}. */
    public String feHttp() {
        return feHttp;
    }

    /** The MySQL-protocol address as a {@code jdbc-url}. */
    public String jdbcUrl() {
        return "jdbc:mysql://" + mysql;
    }

    /** Runs one SQL statement on the emulator's MySQL port (through the control API). */
    public JsonNode sql(String statement) throws IOException {
        return JSON.readTree(call("POST", "/control/sql", statement));
    }

    public List<String> beHttp() {
        return beHttp;
    }

    /** HTTP addresses of the follower FEs (started with {@code --follower-fes N}); they redirect to the leader. */
    public List<String> followerFeHttp() {
        return followerFeHttp;
    }

    public void createDatabase(String db) throws IOException {
        call("POST", "/control/databases/" + db, null);
    }

    /**
     * Creates a table. {@code columns} are "name TYPE [NOT NULL]" strings.
     *
     * @param model DUPLICATE, PRIMARY or UNIQUE
     */
    public void createTable(String db, String table, String model, List<String> keys, String... columns)
            throws IOException {
        createDatabase(db);
        ObjectNode spec = JSON.createObjectNode();
        spec.put("database", db);
        spec.put("table", table);
        spec.put("model", model);
        ArrayNode k = spec.putArray("keys");
        for (String key : keys) {
            k.add(key);
        }
        ArrayNode cols = spec.putArray("columns");
        for (String c : columns) {
            String[] parts = c.trim().split("\\s+", 2);
            ObjectNode col = cols.addObject();
            col.put("name", parts[0]);
            String type = parts[1];
            boolean notNull = type.toUpperCase().endsWith(" NOT NULL");
            if (notNull) {
                type = type.substring(0, type.length() - " NOT NULL".length());
            }
            col.put("type", type.trim());
            col.put("nullable", !notNull);
        }
        call("POST", "/control/tables", JSON.writeValueAsString(spec));
    }

    /** The visible rows of a table as canonical text values (null for NULL). */
    public List<List<String>> rows(String db, String table) throws IOException {
        JsonNode doc = JSON.readTree(call("GET", "/control/tables/" + db + "/" + table + "/rows", null));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : doc.get("rows")) {
            List<String> values = new ArrayList<>();
            for (JsonNode v : row) {
                values.add(v.isNull() ? null : v.asText());
            }
            rows.add(values);
        }
        return rows;
    }

    /** Labels of a database with their states. */
    public JsonNode labels(String db) throws IOException {
        return JSON.readTree(call("GET", "/control/labels/" + db, null));
    }

    /**
     * Waits until no label of {@code db} is COMMITTED any more: committed data becomes visible
     * when its publish finishes (a publish timeout delays it).
     */
    public void awaitPublished(String db) throws Exception {
        Await.until("the COMMITTED labels of " + db + " to become VISIBLE", 30_000, () -> {
            for (JsonNode l : labels(db)) {
                if (l.get("state").asText().equals("COMMITTED")) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Adds a fault rule (JSON as documented in tests/emulator/README.md); returns its id. */
    public long addFault(String ruleJson) throws IOException {
        return JSON.readTree(call("POST", "/control/faults", ruleJson)).get("id").asLong();
    }

    /** Removes one fault rule; false if it was not there (any more). */
    public boolean removeFault(long id) throws IOException {
        try {
            call("DELETE", "/control/faults/" + id, null);
            return true;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("-> 404")) {
                return false;
            }
            throw e;
        }
    }

    /** Removes every fault rule. */
    public void clearFaults() throws IOException {
        call("DELETE", "/control/faults", null);
    }

    /** Fault rules with their "seen"/"fired" counters. */
    public JsonNode faults() throws IOException {
        return JSON.readTree(call("GET", "/control/faults", null));
    }

    /** How many logged requests had a path containing {@code pathPart}. */
    public int requestCount(String pathPart) throws IOException {
        int n = 0;
        for (JsonNode r : requests()) {
            if (r.get("path").asText().contains(pathPart)) {
                n++;
            }
        }
        return n;
    }

    /** The statements clients sent to the MySQL port, oldest first ({@code seq}, {@code connection}, {@code text}). */
    public JsonNode statements() throws IOException {
        return JSON.readTree(call("GET", "/control/statements", null));
    }

    public JsonNode requests() throws IOException {
        return JSON.readTree(call("GET", "/control/requests", null));
    }

    public JsonNode stats() throws IOException {
        return JSON.readTree(call("GET", "/control/stats", null));
    }

    /** Sends a control request; returns the body, fails on a non-2xx status. */
    public String call(String method, String path, String body) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://" + control + path).openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(10_000);
        c.setReadTimeout(60_000);
        if (body != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream os = c.getOutputStream()) {
                os.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
        String text = in == null ? "" : readAll(in);
        if (status / 100 != 2) {
            throw new IOException("control " + method + " " + path + " -> " + status + ": " + text);
        }
        return text;
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            out.write(buf, 0, n);
        }
        in.close();
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
