package com.starrocks.connector.flink.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

/** Flink SQL on an in-process MiniCluster. */
public final class SqlJobs {
    private SqlJobs() {}

    public static TableEnvironment streaming(int parallelism) {
        return streaming(parallelism, new Configuration());
    }

    /** A job that fails instead of restarting (for tests of failures). */
    public static TableEnvironment streamingWithoutRestarts(int parallelism) {
        Configuration conf = new Configuration();
        conf.setString("restart-strategy", "none");
        return streaming(parallelism, conf);
    }

    private static TableEnvironment streaming(int parallelism, Configuration conf) {
        conf.setString("parallelism.default", String.valueOf(parallelism));
        conf.setString("execution.checkpointing.interval", "1 s");
        conf.setString("rest.bind-port", "0");
        return TableEnvironment.create(
                EnvironmentSettings.newInstance().inStreamingMode().withConfiguration(conf).build());
    }

    /** The WITH clause of a StarRocks sink table on the emulator. */
    public static String sinkWith(EmulatorProcess emulator, String db, String table, String... extra) {
        return sinkWith(emulator.jdbcUrl(), emulator.feHttp(), db, table, extra);
    }

    /** The WITH clause of a StarRocks sink table. */
    public static String sinkWith(String jdbcUrl, String loadUrl, String db, String table, String... extra) {
        StringBuilder sb = new StringBuilder("'connector' = 'starrocks'");
        sb.append(", 'jdbc-url' = '").append(jdbcUrl).append("'");
        sb.append(", 'load-url' = '").append(loadUrl).append("'");
        sb.append(", 'database-name' = '").append(db).append("'");
        sb.append(", 'table-name' = '").append(table).append("'");
        sb.append(", 'username' = 'root', 'password' = ''");
        for (int i = 0; i < extra.length; i += 2) {
            sb.append(", '").append(extra[i]).append("' = '").append(extra[i + 1]).append("'");
        }
        return sb.toString();
    }
}
