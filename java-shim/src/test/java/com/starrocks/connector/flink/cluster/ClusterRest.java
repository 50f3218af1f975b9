package com.starrocks.connector.flink.cluster;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

/**
 * The JobManager REST calls that need more than a GET: a job jar upload (multipart), running it,
 * and cancelling a job (PATCH, which {@link java.net.HttpURLConnection} cannot send). Plain
 * HTTP/1.1 over a socket, one connection per call.
 */
final class ClusterRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final int port;

    ClusterRest(int port) {
        this.port = port;
    }

    /** Uploads a job jar; answers its id for {@link #run}. */
    String uploadJar(File jar) throws IOException {
        String boundary = "----starrocks-test-" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                        + jar.getName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar.toPath()));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode answer = expect(200, "POST", "/jars/upload", "multipart/form-data; boundary=" + boundary, body.toByteArray());
        String path = answer.path("filename").asText();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Runs {@code entryClass} of an uploaded jar; answers the job id. */
    String run(String jarId, String entryClass, List<String> args) throws IOException {
        ObjectNode request = JSON.createObjectNode();
        request.put("entryClass", entryClass);
        ArrayNode programArgs = request.putArray("programArgsList");
        for (String arg : args) {
            programArgs.add(arg);
        }
        JsonNode answer =
                expect(200, "POST", "/jars/" + jarId + "/run", "application/json", JSON.writeValueAsBytes(request));
        return answer.path("jobid").asText();
    }

    void cancel(String jobId) throws IOException {
        expect(202, "PATCH", "/jobs/" + jobId + "?mode=cancel", null, new byte[0]);
    }

    private JsonNode expect(int status, String method, String path, String contentType, byte[] body)
            throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: localhost:").append(port).append("\r\n")
                    .append("Connection: close\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n");
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String response = new String(readAll(socket.getInputStream()), StandardCharsets.UTF_8);
            int headEnd = response.indexOf("\r\n\r\n");
            if (!response.startsWith("HTTP/1.1 ") || headEnd < 0) {
                throw new IOException(method + " " + path + ": not an HTTP answer: " + response);
            }
            int answered = Integer.parseInt(response.substring(9, 12));
            String text = response.substring(headEnd + 4);
            if (answered != status) {
                throw new IOException(method + " " + path + " answered " + answered + ": " + text);
            }
            return text.trim().isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            all.write(buf, 0, n);
        }
        return all.toByteArray();
    }
}
