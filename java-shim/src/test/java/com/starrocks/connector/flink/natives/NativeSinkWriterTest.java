package com.starrocks.connector.flink.natives;

import com.starrocks.connector.flink.row.RowFrameWriter;
import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.Options;
import com.starrocks.connector.flink.testing.RawFrames;
import com.starrocks.connector.flink.testing.TestPaths;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.io.File;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** The JNI boundary: handles, errors, panics, and the engine's answers to bad input. */
public class NativeSinkWriterTest {
    private static EmulatorProcess emulator;

    @BeforeClass
    public static void startEmulator() throws Exception {
        emulator = EmulatorProcess.start("--user", "root:", "--user", "loader:s3cr3t-pw");
        emulator.createTable("db", "t", "DUPLICATE", Collections.singletonList("id"), "id INT", "name VARCHAR(20)");
    }

    @AfterClass
    public static void stopEmulator() throws Exception {
        emulator.close();
    }

    private static Map<String, String> options(String... extra) {
        return Options.with(Options.required(emulator.feHttp(), "db", "t"), extra);
    }

    private static StarRocksException expect(StarRocksException.Kind kind, Runnable r) {
        try {
            r.run();
        } catch (StarRocksException e) {
            assertEquals(e.toString(), kind, e.kind());
            return e;
        }
        fail("expected a StarRocksException of kind " + kind);
        return null;
    }

    @Test
    public void engineVersionIsTheCargoVersion() throws Exception {
        String cargo = new String(Files.readAllBytes(new File(TestPaths.repo(), "Cargo.toml").toPath()), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("(?m)^version\\s*=\\s*\"([^\"]+)\"").matcher(cargo);
        assertTrue(m.find());
        assertEquals(m.group(1), NativeBridge.engineVersion());
    }

    @Test
    public void closeIsIdempotentAndUseAfterCloseIsAnException() {
        NativeSinkWriter w = NativeSinkWriter.create(options(), RowFrameWriter.FRAME_VERSION);
        int before = NativeBridge.liveWriters();
        w.close();
        w.close();
        assertTrue(w.isClosed());
        assertEquals(before - 1, NativeBridge.liveWriters());
        expect(StarRocksException.Kind.CLOSED, w::flush);
        expect(StarRocksException.Kind.CLOSED, () -> w.registerTable("db", "t", null, java.util.Collections.<String, String>emptyMap(), false, new int[0], null));
        expect(StarRocksException.Kind.CLOSED, () -> w.write(ByteBuffer.allocateDirect(1), 0));
    }

    @Test
    public void closedHandlesAreRejectedByTheEngineToo() {
        expect(StarRocksException.Kind.CLOSED, () -> NativeBridge.flush(987654321L));
    }

    @Test
    public void invalidOptionsNameTheOption() {
        Map<String, String> noUrl = options();
        noUrl.remove("load-url");
        assertTrue(expect(StarRocksException.Kind.CONFIG, () -> NativeSinkWriter.create(noUrl, 1)).getMessage().contains("'load-url'"));
        assertTrue(expect(StarRocksException.Kind.CONFIG, () -> NativeSinkWriter.create(options("load-url", "fe-host"), 1)).getMessage().contains("no port"));
        assertTrue(expect(StarRocksException.Kind.CONFIG, () -> NativeSinkWriter.create(options("sink.buffer-flush.max-bytes", "-1"), 1)).getMessage().contains("'sink.buffer-flush.max-bytes'"));
        assertTrue(expect(StarRocksException.Kind.CONFIG, () -> NativeSinkWriter.create(options("sink.semantic", "best-effort"), 1)).getMessage().contains("'sink.semantic'"));
        assertTrue(expect(StarRocksException.Kind.UNSUPPORTED, () -> NativeSinkWriter.create(options("sink.transaction.multi-table.enabled", "true"), 1)).getMessage().contains("not supported yet"));
    }

    @Test
    public void aMismatchedFrameVersionIsRefused() {
        StarRocksException e = expect(StarRocksException.Kind.INTERNAL, () -> NativeSinkWriter.create(options(), 99));
        assertTrue(e.getMessage(), e.getMessage().contains("version 99"));
    }

    @Test
    public void aNativePanicBecomesAnExceptionAndTheJvmLivesOn() {
        StarRocksException e = expect(StarRocksException.Kind.INTERNAL, () -> NativeBridge.selfTestPanic("boom"));
        assertTrue(e.getMessage(), e.getMessage().contains("panic"));
        assertTrue(e.getMessage(), e.getMessage().contains("self-test panic: boom"));
        assertTrue(e.getMessage(), e.getMessage().contains("bridge.rs"));
        // The library still works after the panic.
        try (NativeSinkWriter w = NativeSinkWriter.create(options(), RowFrameWriter.FRAME_VERSION)) {
            w.flush();
        }
    }

    @Test
    public void malformedFramesAreInvalidData() {
        try (NativeSinkWriter w = NativeSinkWriter.create(options(), RowFrameWriter.FRAME_VERSION)) {
            w.registerTable("db", "t", null, java.util.Collections.<String, String>emptyMap(), false, new int[0], null);
            ByteBuffer garbage = ByteBuffer.allocateDirect(8);
            garbage.put(new byte[] {0x10, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0});
            StarRocksException e = expect(StarRocksException.Kind.INVALID_DATA, () -> w.write(garbage, 8));
            assertTrue(e.getMessage(), e.getMessage().contains("malformed row frame #0"));
            expect(StarRocksException.Kind.INVALID_DATA, () -> w.write(garbage, 9));
        }
    }

    @Test
    public void rowsLandAndMetricsCountThem() throws Exception {
        emulator.createTable("db", "metrics", "DUPLICATE", Collections.singletonList("id"), "id INT", "name VARCHAR(20)");
        try (NativeSinkWriter w = NativeSinkWriter.create(Options.with(Options.required(emulator.feHttp(), "db", "metrics")), RowFrameWriter.FRAME_VERSION)) {
            int t = w.registerTable("db", "metrics", null, java.util.Collections.<String, String>emptyMap(), false, new int[0], null);
            ByteBuffer b = RawFrames.of(t, "1\ta", "2\tb", "3\tc");
            w.write(b, b.position());
            w.flush();
            List<String> names = Arrays.asList(NativeBridge.metricNames());
            long[] values = w.metrics();
            assertEquals(3, values[names.indexOf("totalInvokeRows")]);
            assertEquals(3, values[names.indexOf("totalFlushRows")]);
            assertEquals(1, values[names.indexOf("totalFlushSucceededTimes")]);
        }
        assertEquals(3, emulator.rows("db", "metrics").size());
    }

    @Test
    public void anUnreachableFeIsAConnectionErrorNamingTheAddress() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> o = Options.with(Options.required("127.0.0.1:" + port, "db", "t"), "sink.max-retries", "0");
        try (NativeSinkWriter w = NativeSinkWriter.create(o, RowFrameWriter.FRAME_VERSION)) {
            int t = w.registerTable("db", "t", null, java.util.Collections.<String, String>emptyMap(), false, new int[0], null);
            ByteBuffer b = RawFrames.of(t, "1\ta");
            w.write(b, b.position());
            StarRocksException e = expect(StarRocksException.Kind.CONNECTION, w::flush);
            assertTrue(e.getMessage(), e.getMessage().contains("127.0.0.1:" + port));
            // The failure stays reported until the writer is closed.
            expect(StarRocksException.Kind.CONNECTION, w::flush);
        }
    }

    @Test
    public void wrongCredentialsAreAnAuthErrorWithoutThePassword() {
        Map<String, String> o = options("username", "loader", "password", "wrong-s3cr3t-pw", "sink.max-retries", "2", "sink.retry.interval-ms", "10");
        try (NativeSinkWriter w = NativeSinkWriter.create(o, RowFrameWriter.FRAME_VERSION)) {
            int t = w.registerTable("db", "t", null, java.util.Collections.<String, String>emptyMap(), false, new int[0], null);
            ByteBuffer b = RawFrames.of(t, "1\ta");
            w.write(b, b.position());
            StarRocksException e = expect(StarRocksException.Kind.AUTH, w::flush);
            assertFalse(e.getMessage(), e.getMessage().contains("s3cr3t"));
            assertFalse(e.getMessage(), e.getMessage().contains("gave up after"));
        }
    }

    @Test
    public void aFailedLoadReportsTheServerAnswerAndItsErrorLog() {
        Map<String, String> o = options("sink.max-retries", "3", "sink.retry.interval-ms", "10");
        try (NativeSinkWriter w = NativeSinkWriter.create(o, RowFrameWriter.FRAME_VERSION)) {
            int t = w.registerTable("db", "t", null, java.util.Collections.<String, String>emptyMap(), false, new int[0], null);
            ByteBuffer b = RawFrames.of(t, "1\ta", "2\tthree\tfields-here");
            w.write(b, b.position());
            StarRocksException e = expect(StarRocksException.Kind.LOAD_FAILED, w::flush);
            assertTrue(e.getMessage(), e.getMessage().contains("too many filtered rows"));
            assertTrue(e.getMessage(), e.getMessage().contains("error log http://"));
            assertTrue(e.getMessage(), e.getMessage().contains("fields-here"));
            assertTrue(e.getMessage(), e.getMessage().contains("db.t"));
        }
    }
}
