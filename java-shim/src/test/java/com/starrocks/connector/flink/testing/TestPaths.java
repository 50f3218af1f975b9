package com.starrocks.connector.flink.testing;

import java.io.File;

/** Paths the Gradle build passes to tests as system properties. */
public final class TestPaths {
    private TestPaths() {}

    private static String property(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isEmpty()) {
            throw new IllegalStateException(
                    "system property " + name + " is not set; run the tests through Gradle");
        }
        return v;
    }

    /** The connector jar under test. */
    public static File connectorJar() {
        return new File(property("starrocks.test.jar"));
    }

    /** The session-cluster test job ({@code SessionJob}), without or with the connector's classes inside. */
    public static File sessionJobsJar(boolean withConnector) {
        return new File(property(withConnector ? "starrocks.test.sessionJobsFatJar" : "starrocks.test.sessionJobsJar"));
    }

    /** The repository root. */
    public static File repo() {
        return new File(property("starrocks.test.repo"));
    }

    /** The examples jar (SQL script runner). */
    public static File examplesJar() {
        return new File(property("starrocks.test.examplesJar"));
    }

    /** Jobs' helper classes (tests/flink-jobs: the fail_once SQL function). */
    public static File testJobsJar() {
        return new File(property("starrocks.test.testJobsJar"));
    }

    /** The Flink distribution (lib/, opt/, bin/) the tests run against. */
    public static File flinkHome() {
        return new File(property("starrocks.test.flinkHome"));
    }

    /** Multiplier of the row counts of the failover scenarios (1 in CI). */
    public static int scale() {
        return Integer.parseInt(System.getProperty("starrocks.test.scale", "1"));
    }

    public static String emulatorBinary() {
        return property("starrocks.test.emulator");
    }
}
