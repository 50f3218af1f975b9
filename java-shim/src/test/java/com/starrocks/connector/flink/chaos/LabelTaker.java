package com.starrocks.connector.flink.chaos;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Uses a label for real, as another load would: a one-row Stream Load with that label into
 * another table of the same database, through the FE's 307 to the BE, with
 * {@code Expect: 100-continue} (the FE refuses loads without it). Just enough HTTP/1.1 for that.
 */
final class LabelTaker {
    private static final int TIMEOUT_MS = 10_000;

    private LabelTaker() {}

    /** Loads one row into {@code db.table} with {@code label}; fails unless the load succeeded. */
    static void take(String feHostPort, String db, String table, String label) throws IOException {
        byte[] body = "1\tlabel-taken\n".getBytes(StandardCharsets.UTF_8);
        String path = "/api/" + db + "/" + table + "/_stream_load";
        Answer fe = exchange(URI.create("http://" + feHostPort + path), label, body);
        if (fe.status != 307 || fe.headers.get("location") == null) {
            throw new IOException("the FE answered " + fe.status + " instead of a 307: " + fe.body);
        }
        Answer be = exchange(URI.create(fe.headers.get("location")), label, body);
        if (be.status != 200) {
            throw new IOException("the BE answered " + be.status + ": " + be.body);
        }
        JsonNode answer = new ObjectMapper().readTree(be.body);
        String status = answer.path("Status").asText();
        if (!status.equals("Success")) {
            throw new IOException(status + ": " + answer.path("Message").asText());
        }
    }

    private static final class Answer {
        final int status;
        final Map<String, String> headers;
        final String body;

        Answer(int status, Map<String, String> headers, String body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }
    }

    /** Sends the head; the body only after 100 Continue; returns the final answer. */
    private static Answer exchange(URI uri, String label, byte[] body) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            String auth = Base64.getEncoder().encodeToString("root:".getBytes(StandardCharsets.UTF_8));
            String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String head = "PUT " + pathAndQuery + " HTTP/1.1\r\n"
                    + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                    + "Authorization: Basic " + auth + "\r\n"
                    + "label: " + label + "\r\n"
                    + "Expect: 100-continue\r\n"
                    + "Content-Length: " + body.length + "\r\n"
                    + "Connection: close\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Answer first = readAnswer(in);
            if (first.status != 100) {
                return first;
            }
            out.write(body);
            out.flush();
            return readAnswer(in);
        }
    }

    private static Answer readAnswer(InputStream in) throws IOException {
        String statusLine = readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        if (status == 100) {
            return new Answer(status, headers, "");
        }
        String length = headers.get("content-length");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int remaining = length == null ? Integer.MAX_VALUE : Integer.parseInt(length);
        byte[] buf = new byte[4096];
        while (remaining > 0) {
            int n = in.read(buf, 0, Math.min(buf.length, remaining));
            if (n < 0) {
                break;
            }
            body.write(buf, 0, n);
            remaining -= n;
        }
        return new Answer(status, headers, new String(body.toByteArray(), StandardCharsets.UTF_8));
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed in the middle of an answer's head");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return new String(line.toByteArray(), StandardCharsets.US_ASCII);
    }
}
