package com.starrocks.connector.flink.sink;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Refuses to run a connector jar on a Flink minor other than the one it was built for. Each jar
 * ({@code flink-connector-starrocks-<version>_flink-<minor>.jar}) is compiled against its own
 * Flink minor; on another one it would fail later, deep in a task, with a {@code
 * NoSuchMethodError} or {@code NoClassDefFoundError}. The entry points (SQL factory, DataStream
 * sinks) call {@link #check()} before they touch any class that differs between Flink versions.
 */
public final class FlinkVersionGuard {
    private static final Logger LOG = LoggerFactory.getLogger(FlinkVersionGuard.class);
    /** Written by the build into every jar (build.gradle, task flinkBuildInfo*). */
    static final String BUILD_INFO = "/com/starrocks/connector/flink/flink-build.properties";

    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)(?:[.-].*)?$");

    private static volatile boolean checked;

    private FlinkVersionGuard() {}

    /**
     * @throws IllegalStateException when the running Flink's minor differs from the jar's, naming
     *     both and the jar to use instead
     */
    public static void check() {
        if (checked) {
            return;
        }
        String running = runningFlinkVersion();
        Properties build = buildInfo();
        String mismatch = mismatch(build, running);
        if (mismatch != null) {
            throw new IllegalStateException(mismatch);
        }
        checked = true;
    }

    /** The message for a jar built as {@code build} running on Flink {@code running}; null if fine. */
    static String mismatch(Properties build, String running) {
        String jarMinor = build.getProperty("flink.minor");
        String runningMinor = minorOf(running);
        if (runningMinor == null) {
            LOG.warn(
                    "cannot tell which Flink version runs (it reports '{}'); the StarRocks connector jar"
                            + " is built for Flink {}",
                    running,
                    jarMinor);
            return null;
        }
        if (runningMinor.equals(jarMinor)) {
            return null;
        }
        String version = build.getProperty("connector.version");
        return "flink-connector-starrocks-" + version + "_flink-" + jarMinor + ".jar is built for Flink "
                + jarMinor + " (compiled against " + build.getProperty("flink.version") + "), but this is Flink "
                + running + ": use flink-connector-starrocks-" + version + "_flink-" + runningMinor
                + ".jar instead";
    }

    /** "1.18" of "1.18.1", "2.0" of "2.0-SNAPSHOT"; null when it is not a version. */
    static String minorOf(String version) {
        if (version == null) {
            return null;
        }
        Matcher m = VERSION.matcher(version.trim());
        return m.matches() ? m.group(1) + "." + m.group(2) : null;
    }

    /** The version of the Flink runtime on the class path, as Flink reports it in its logs. */
    static String runningFlinkVersion() {
        try {
            Class<?> info = Class.forName(
                    "org.apache.flink.runtime.util.EnvironmentInformation", true, FlinkVersionGuard.class.getClassLoader());
            return (String) info.getMethod("getVersion").invoke(null);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    static Properties buildInfo() {
        Properties p = new Properties();
        try (InputStream in = FlinkVersionGuard.class.getResourceAsStream(BUILD_INFO)) {
            if (in == null) {
                throw new IllegalStateException("the connector jar has no " + BUILD_INFO + "; it was not built by build.gradle");
            }
            p.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + BUILD_INFO + " from the connector jar", e);
        }
        return p;
    }
}
