package com.starrocks.connector.flink.sink;

import org.junit.Test;

import java.util.Properties;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

/** The check that a connector jar runs on the Flink minor it was built for. */
public class FlinkVersionGuardTest {

    private static Properties builtFor(String flinkVersion) {
        Properties p = new Properties();
        p.setProperty("connector.version", "0.1.0");
        p.setProperty("flink.version", flinkVersion);
        p.setProperty("flink.minor", FlinkVersionGuard.minorOf(flinkVersion));
        return p;
    }

    @Test
    public void theMinorOfAVersion() {
        assertEquals("1.18", FlinkVersionGuard.minorOf("1.18.1"));
        assertEquals("2.0", FlinkVersionGuard.minorOf("2.0-SNAPSHOT"));
        assertEquals("1.17", FlinkVersionGuard.minorOf("1.17-vvr-8.0.4"));
        assertNull(FlinkVersionGuard.minorOf("<unknown>"));
        assertNull(FlinkVersionGuard.minorOf(null));
    }

    @Test
    public void anotherMinorIsRefusedNamingBothAndTheJarToUse() {
        assertEquals(
                "flink-connector-starrocks-0.1.0_flink-1.18.jar is built for Flink 1.18 (compiled against 1.18.1),"
                        + " but this is Flink 2.3.0: use flink-connector-starrocks-0.1.0_flink-2.3.jar instead",
                FlinkVersionGuard.mismatch(builtFor("1.18.1"), "2.3.0"));
        assertEquals(
                "flink-connector-starrocks-0.1.0_flink-1.20.jar is built for Flink 1.20 (compiled against 1.20.4),"
                        + " but this is Flink 1.15.4: use flink-connector-starrocks-0.1.0_flink-1.15.jar instead",
                FlinkVersionGuard.mismatch(builtFor("1.20.4"), "1.15.4"));
    }

    @Test
    public void anotherPatchReleaseOfTheSameMinorIsAccepted() {
        assertNull(FlinkVersionGuard.mismatch(builtFor("1.18.1"), "1.18.0"));
        assertNull(FlinkVersionGuard.mismatch(builtFor("2.3.0"), "2.3-SNAPSHOT"));
    }

    /** Flink started from an IDE may not know its version: the jar is used, with a warning. */
    @Test
    public void anUnknownRunningVersionIsNotRefused() {
        assertNull(FlinkVersionGuard.mismatch(builtFor("1.18.1"), "<unknown>"));
        assertNull(FlinkVersionGuard.mismatch(builtFor("1.18.1"), null));
    }

    /** The test class path: the 1.18 build of the shim on Flink 1.18.1. */
    @Test
    public void theBuildOnItsOwnFlinkPasses() {
        assertEquals(
                FlinkVersionGuard.buildInfo().getProperty("flink.minor"),
                FlinkVersionGuard.minorOf(FlinkVersionGuard.runningFlinkVersion()));
        FlinkVersionGuard.check();
    }
}
