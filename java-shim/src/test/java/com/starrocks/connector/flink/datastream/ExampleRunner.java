package com.starrocks.connector.flink.datastream;

import com.starrocks.connector.flink.testing.FlinkJvm;
import com.starrocks.connector.flink.testing.TestPaths;

import java.io.IOException;
import java.util.Arrays;

/**
 * Runs the {@code main} of a DataStream example in its own JVM, as a user would: the connector
 * jar, the examples jar and Flink's {@code lib/} on the class path; the job runs on the local
 * MiniCluster that {@code StreamExecutionEnvironment.getExecutionEnvironment()} gives.
 */
final class ExampleRunner {
    static final String PACKAGE = "com.starrocks.connector.flink.examples.datastream.";
    private static final long TIMEOUT_SECONDS = 180;

    private ExampleRunner() {}

    /**
     * Runs {@code example} (a simple class name) with {@code args}; returns its output.
     *
     * @throws AssertionError when it exits with an error or runs longer than the timeout
     */
    static String run(String example, String... args) throws IOException, InterruptedException {
        return FlinkJvm.runOk(
                TestPaths.flinkHome(),
                Arrays.asList(TestPaths.connectorJar(), TestPaths.examplesJar()),
                PACKAGE + example,
                Arrays.asList(args),
                TIMEOUT_SECONDS);
    }
}
