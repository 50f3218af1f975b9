package com.starrocks.connector.flink.datastream;

import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;
import com.starrocks.connector.flink.testing.EmulatorProcess;

import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** DataStream jobs on an in-process MiniCluster, and the sink options they use. */
final class DataStreamJobs {
    private DataStreamJobs() {}

    /** A local environment without restarts; {@code checkpointMs <= 0}: no checkpointing. */
    static StreamExecutionEnvironment environment(int parallelism, long checkpointMs) {
        Configuration conf = new Configuration();
        conf.setString("rest.bind-port", "0");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.setRestartStrategy(RestartStrategies.noRestart());
        if (checkpointMs > 0) {
            env.enableCheckpointing(checkpointMs);
        }
        return env;
    }

    /** Builder options for {@code database.table} on the emulator, plus {@code keyValues}. */
    static StarRocksSinkOptions options(EmulatorProcess emulator, String database, String table, String... keyValues) {
        StarRocksSinkOptions.Builder b =
                StarRocksSinkOptions.builder()
                        .withProperty("jdbc-url", "jdbc:mysql://127.0.0.1:9030")
                        .withProperty("load-url", emulator.feHttp())
                        .withProperty("database-name", database)
                        .withProperty("table-name", table)
                        .withProperty("username", "root")
                        .withProperty("password", "")
                        .withProperty("sink.buffer-flush.interval-ms", "1000");
        for (int i = 0; i < keyValues.length; i += 2) {
            b.withProperty(keyValues[i], keyValues[i + 1]);
        }
        return b.build();
    }

    /** The messages of {@code t} and all its causes, one per line (a failed job nests them). */
    static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c).append('\n');
        }
        return sb.toString();
    }
}
