package com.starrocks.connector.flink.natives;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Loads the native engine once per class loader.
 *
 * <p>The library ships inside the jar at {@code native/<platform>/libstarrocks_flink.so} (see
 * {@link #resourcePath()}). A JVM can load one library file into one class loader only, and Flink
 * session clusters create a new user-code class loader for every job and every restart, so each
 * loading class loader gets its own copy: a unique file named after the content hash plus a random
 * suffix. The copy is deleted right after loading (the mapped library stays valid).
 *
 * <p>System property {@value #LIBRARY_PROPERTY} names a preinstalled library to load instead (only
 * one class loader of the JVM can then use it: put the connector jar in Flink's {@code lib/}).
 * Property {@value #TMPDIR_PROPERTY} chooses the directory for the copies.
 *
 * <p>States: NOT_LOADED, then LOADED or FAILED. A failure is remembered and rethrown with its
 * cause, so every caller sees why.
 */
public final class NativeLibrary {
    public static final String LIBRARY_PROPERTY = "starrocks.flink.native.library";
    public static final String TMPDIR_PROPERTY = "starrocks.flink.native.tmpdir";
    public static final String LIBRARY_FILE = "libstarrocks_flink.so";

    private enum State {
        NOT_LOADED,
        LOADED,
        FAILED
    }

    private static final Object LOCK = new Object();
    private static State state = State.NOT_LOADED;
    private static StarRocksException failure;
    private static String loadedFrom;

    private NativeLibrary() {}

    /** Loads the library if this class loader has not yet; throws if that failed, now or before. */
    public static void ensureLoaded() {
        synchronized (LOCK) {
            switch (state) {
                case LOADED:
                    return;
                case FAILED:
                    throw failure;
                default:
                    try {
                        loadedFrom = load();
                        state = State.LOADED;
                    } catch (Throwable t) {
                        failure =
                                new StarRocksException(
                                        StarRocksException.Kind.INTERNAL,
                                        "cannot load the StarRocks connector's native library: "
                                                + t.getMessage(),
                                        t);
                        state = State.FAILED;
                        throw failure;
                    }
            }
        }
    }

    /** Where the library was loaded from (a deleted copy or the preinstalled path). */
    public static String loadedFrom() {
        synchronized (LOCK) {
            return loadedFrom;
        }
    }

    /** The resource path of the library for this platform. */
    public static String resourcePath() {
        return "native/" + platform() + "/" + LIBRARY_FILE;
    }

    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osName = os.startsWith("linux") ? "linux" : os.replace(' ', '_');
        String archName;
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            archName = "x86_64";
        } else if (arch.equals("aarch64") || arch.equals("arm64")) {
            archName = "aarch_64";
        } else {
            archName = arch;
        }
        return osName + "-" + archName;
    }

    private static String load() throws IOException {
        String preinstalled = System.getProperty(LIBRARY_PROPERTY);
        if (preinstalled != null && !preinstalled.trim().isEmpty()) {
            File file = new File(preinstalled.trim());
            if (!file.isFile()) {
                throw new IOException(
                        "-D" + LIBRARY_PROPERTY + "=" + preinstalled + " is not a file");
            }
            System.load(file.getAbsolutePath());
            return file.getAbsolutePath();
        }
        String resource = resourcePath();
        ClassLoader loader = NativeLibrary.class.getClassLoader();
        byte[] bytes;
        try (InputStream in =
                loader == null
                        ? ClassLoader.getSystemResourceAsStream(resource)
                        : loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(
                        "the jar has no native library for platform "
                                + platform()
                                + " (resource "
                                + resource
                                + "); set -D"
                                + LIBRARY_PROPERTY
                                + "=<path> to use one built for this machine");
            }
            bytes = readAll(in);
        }
        String dirName = System.getProperty(TMPDIR_PROPERTY);
        Path dir =
                dirName != null
                        ? Paths.get(dirName)
                        : Paths.get(System.getProperty("java.io.tmpdir"), "starrocks-flink-native");
        Files.createDirectories(dir);
        Path copy = Files.createTempFile(dir, "libstarrocks_flink-" + sha256(bytes) + "-", ".so");
        try {
            Files.write(copy, bytes);
            System.load(copy.toAbsolutePath().toString());
        } finally {
            Files.deleteIfExists(copy);
        }
        return copy.toAbsolutePath().toString();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 << 20);
        byte[] buf = new byte[64 << 10];
        for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                sb.append(String.format("%02x", digest[i]));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
