package com.starrocks.connector.flink.security;

import com.starrocks.connector.flink.StarRocksSink;
import com.starrocks.connector.flink.natives.NativeCommitter;
import com.starrocks.connector.flink.natives.WriterContext;
import com.starrocks.connector.flink.sink.EngineWriter;
import com.starrocks.connector.flink.sink.RawRecordEncoder;
import com.starrocks.connector.flink.sink.SinkMetrics;
import com.starrocks.connector.flink.sink.TableDescription;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;
import com.starrocks.connector.flink.table.sink.v2.StarRocksCommittable;
import com.starrocks.connector.flink.table.sink.v2.StarRocksCommitter;
import com.starrocks.connector.flink.table.sink.v2.StarRocksWriterState;
import com.starrocks.connector.flink.testing.MetricDumpReporter;
import com.starrocks.connector.flink.testing.SequenceJobs;

import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs of {@link SecretsTest}, in a JVM of their own whose every log line, printed exception
 * and metric the test then searches for the password: successful SQL and DataStream jobs (both sink
 * APIs, at-least-once and exactly-once, a catalog), failing ones (wrong password, unreachable FE,
 * bad options), and the {@code toString()} of the connector's objects. Each run checks its own
 * outcome; the exit code is the number of runs that did not end as expected.
 *
 * <p>Arguments: FE HTTP address, MySQL address, an address nobody listens on, user, password, a
 * wrong password, database.
 */
public final class SecretScenarios {
    /** Tables the test creates, one per successful run, with the rows each run loads. */
    static final Map<String, Integer> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("sql_alo", 3);
        TABLES.put("sql_eo", 3);
        TABLES.put("ds_v1", 200);
        TABLES.put("ds_v2_eo", 200);
        TABLES.put("ds_public", 50);
        TABLES.put("cat_rows", 2);
    }

    private final String feHttp;
    private final String mysql;
    private final String nobody;
    private final String user;
    private final String password;
    private final String wrongPassword;
    private final String database;
    private final List<String> problems = new ArrayList<>();

    private SecretScenarios(String[] args) {
        this.feHttp = args[0];
        this.mysql = args[1];
        this.nobody = args[2];
        this.user = args[3];
        this.password = args[4];
        this.wrongPassword = args[5];
        this.database = args[6];
    }

    public static void main(String[] args) {
        SecretScenarios s = new SecretScenarios(args);
        s.runAll();
        System.out.println("runs not as expected: " + s.problems);
        System.exit(s.problems.size());
    }

    private interface Run {
        void run() throws Exception;
    }

    private void runAll() {
        succeeds("sql-at-least-once", () -> sqlInsert(sqlWith("sql_alo", password), "sql_alo"));
        succeeds("sql-exactly-once", () -> sqlInsert(
                sqlWith("sql_eo", password, "sink.semantic", "exactly-once", "sink.label-prefix", "secrets-sql")
                        .replace("'" + jdbcUrl() + "'", "'" + jdbcUrl() + "?useSSL=false&password=" + password + "'"),
                "sql_eo"));
        succeeds("datastream-sink-function-plain", () -> sequenceJob(
                SequenceJobs.Api.SINK_FUNCTION, 0, options("ds_v1", password,
                        "sink.at-least-once.use-transaction-stream-load", "false")));
        succeeds("datastream-sink-v2-exactly-once", () -> sequenceJob(
                SequenceJobs.Api.SINK_V2, 300, options("ds_v2_eo", password,
                        "sink.semantic", "exactly-once", "sink.label-prefix", "secrets-ds")));
        succeeds("datastream-public-entry-point", this::publicEntryPoint);
        succeeds("catalog", this::catalog);
        succeeds("connector-objects", this::connectorObjects);

        fails("sql-wrong-password", () -> sqlInsert(sqlWith("sql_alo", wrongPassword), "sql_alo"),
                "Access denied for user '" + user + "'", mysql);
        fails("datastream-wrong-password-at-least-once", () -> sequenceJob(
                SequenceJobs.Api.SINK_V2, 0, options("ds_v1", wrongPassword)),
                "refused the credentials", feHttp);
        fails("datastream-wrong-password-exactly-once", () -> sequenceJob(
                SequenceJobs.Api.SINK_FUNCTION, 300, options("ds_v1", wrongPassword,
                        "sink.semantic", "exactly-once", "sink.label-prefix", "secrets-wrong")),
                "refused the credentials", feHttp);
        fails("sql-unreachable-fe", () -> sqlInsert(
                sqlWith("sql_alo", password).replace(feHttp, nobody).replace(mysql, nobody), "sql_alo"),
                nobody);
        fails("datastream-unreachable-fe", () -> sequenceJob(
                SequenceJobs.Api.SINK_V2, 0, options("ds_v1", password, "load-url", nobody,
                        "sink.connect.timeout-ms", "1000", "sink.max-retries", "1", "sink.retry.interval-ms", "100")),
                "cannot connect to " + nobody);
        fails("sql-invalid-option-value", () -> sqlInsert(
                sqlWith("sql_alo", password, "sink.semantic", "sometimes"), "sql_alo"),
                "'sink.semantic'");
        fails("sql-unparsable-option", () -> sqlInsert(
                sqlWith("sql_alo", password, "sink.buffer-flush.max-bytes", "lots"), "sql_alo"),
                "sink.buffer-flush.max-bytes");
        fails("sql-unknown-option", () -> sqlInsert(sqlWith("sql_alo", password, "sink.nope", "1"), "sql_alo"),
                "sink.nope");
        fails("datastream-invalid-option-value", () -> options("ds_v1", password, "sink.semantic", "sometimes"),
                "'sink.semantic'");
        fails("datastream-credentials-in-load-url", () -> options("ds_v1", password,
                "load-url", "http://" + user + ":" + password + "@" + feHttp),
                "'load-url'");
        fails("catalog-wrong-password", () -> createCatalog(wrongPassword, jdbcUrl()),
                "Access denied for user '" + user + "'", mysql);
        fails("catalog-unreachable-fe", () -> createCatalog(password, "jdbc:mysql://" + nobody), nobody);
        fails("catalog-invalid-option-value", () -> tableEnvironment(0).executeSql(
                catalogDdl(password, jdbcUrl()).replace(")", ", 'sink.semantic' = 'sometimes')")),
                "'sink.semantic'");
    }

    private void succeeds(String name, Run run) {
        System.out.println("=== run " + name);
        try {
            run.run();
            System.out.println("=== run " + name + " succeeded");
        } catch (Throwable t) {
            System.out.println("=== run " + name + " failed unexpectedly:\n" + stackTrace(t));
            problems.add(name);
        }
    }

    /** The run must fail, and its exception (with causes) must mention every {@code expected}. */
    private void fails(String name, Run run, String... expected) {
        System.out.println("=== run " + name);
        try {
            run.run();
            System.out.println("=== run " + name + " did not fail");
            problems.add(name);
        } catch (Throwable t) {
            String trace = stackTrace(t);
            System.out.println("=== run " + name + " failed as expected:\n" + trace);
            for (String e : expected) {
                if (!trace.contains(e)) {
                    System.out.println("=== run " + name + ": the exception does not mention '" + e + "'");
                    problems.add(name);
                }
            }
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    private String jdbcUrl() {
        return "jdbc:mysql://" + mysql;
    }

    private Map<String, String> rawOptions(String table, String pw, String... extra) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("jdbc-url", jdbcUrl());
        m.put("load-url", feHttp);
        m.put("database-name", database);
        m.put("table-name", table);
        m.put("username", user);
        m.put("password", pw);
        for (int i = 0; i < extra.length; i += 2) {
            m.put(extra[i], extra[i + 1]);
        }
        return m;
    }

    /** Options through the public builder, which validates them (and prints nothing). */
    private Map<String, String> options(String table, String pw, String... extra) {
        StarRocksSinkOptions.Builder b = StarRocksSinkOptions.builder();
        for (Map.Entry<String, String> e : rawOptions(table, pw, extra).entrySet()) {
            b.withProperty(e.getKey(), e.getValue());
        }
        StarRocksSinkOptions built = b.build();
        System.out.println("options: " + built);
        return built.asMap();
    }

    private String sqlWith(String table, String pw, String... extra) {
        StringBuilder sb = new StringBuilder("'connector' = 'starrocks'");
        for (Map.Entry<String, String> e : rawOptions(table, pw, extra).entrySet()) {
            sb.append(", '").append(e.getKey()).append("' = '").append(e.getValue()).append("'");
        }
        return sb.toString();
    }

    private static Configuration flinkConfiguration() {
        Configuration conf = new Configuration();
        conf.setString("rest.bind-port", "0");
        conf.setString("metrics.reporter.dump.factory.class", MetricDumpReporter.Factory.class.getName());
        return conf;
    }

    /** A streaming table environment whose jobs do not restart; {@code checkpointMs} 0: none. */
    private static TableEnvironment tableEnvironment(long checkpointMs) {
        Configuration conf = flinkConfiguration();
        conf.setString("parallelism.default", "1");
        conf.setString("restart-strategy", "none");
        if (checkpointMs > 0) {
            conf.setString("execution.checkpointing.interval", checkpointMs + " ms");
        }
        return TableEnvironment.create(EnvironmentSettings.newInstance().inStreamingMode().withConfiguration(conf).build());
    }

    private void sqlInsert(String with, String table) throws Exception {
        TableEnvironment env = tableEnvironment(300);
        env.executeSql("CREATE TABLE sink (id BIGINT NOT NULL, payload STRING) WITH (" + with + ")");
        String insert = "INSERT INTO sink VALUES (1, 'a-" + table + "'), (2, 'b'), (3, 'c')";
        System.out.println("plan:\n" + env.explainSql(insert));
        env.executeSql(insert).await();
    }

    private void sequenceJob(SequenceJobs.Api api, long checkpointMs, Map<String, String> options) throws Exception {
        StreamExecutionEnvironment env = SequenceJobs.environment(1, checkpointMs, flinkConfiguration());
        env.setRestartStrategy(RestartStrategies.noRestart());
        SequenceJobs.build(env, options.get("table-name"), 200, 0, SequenceJobs.none(), api, options);
        env.execute(options.get("table-name"));
    }

    /** {@code StarRocksSink.sink(options)} of CSV lines. */
    private void publicEntryPoint() throws Exception {
        StarRocksSinkOptions options = StarRocksSinkOptions.of(options("ds_public", password));
        StreamExecutionEnvironment env = SequenceJobs.environment(1, 0, flinkConfiguration());
        env.setRestartStrategy(RestartStrategies.noRestart());
        env.fromSequence(1, TABLES.get("ds_public"))
                .map(id -> id + "\t" + SequenceJobs.payload(id))
                .returns(Types.STRING)
                .addSink(StarRocksSink.sink(options));
        env.execute("ds_public");
    }

    private String catalogDdl(String pw, String jdbcUrl) {
        return "CREATE CATALOG sr WITH ('type' = 'starrocks', 'jdbc-url' = '" + jdbcUrl + "', 'load-url' = '"
                + feHttp + "', 'username' = '" + user + "', 'password' = '" + pw + "')";
    }

    private TableEnvironment createCatalog(String pw, String jdbcUrl) {
        TableEnvironment env = tableEnvironment(0);
        env.executeSql(catalogDdl(pw, jdbcUrl));
        return env;
    }

    private void catalog() throws Exception {
        TableEnvironment env = createCatalog(password, jdbcUrl());
        System.out.println("tables: " + env.getCatalog("sr").get().listTables(database));
        env.executeSql("SHOW CREATE TABLE sr." + database + ".cat_rows").print();
        env.executeSql("DESCRIBE sr." + database + ".cat_rows").print();
        env.executeSql("INSERT INTO sr." + database + ".cat_rows VALUES (1, 'a'), (2, 'b')").await();
        System.out.println(ConnectorObjects.describe(env.getCatalog("sr").get()));
    }

    /** Prints the objects the connector builds for a job, and the objects they hold. */
    private void connectorObjects() throws Exception {
        StarRocksSinkOptions options = StarRocksSinkOptions.of(options("ds_public", password,
                "jdbc-url", jdbcUrl() + "?user=" + user + "&password=" + password));
        Map<String, String> map = options.asMap();
        List<Object> roots = new ArrayList<>(Arrays.<Object>asList(
                options,
                StarRocksSink.sink(options),
                new com.starrocks.connector.flink.table.sink.v2.StarRocksSink<>(map, RawRecordEncoder.<String>forSink(options)),
                TableDescription.describe(map, database, "ds_public"),
                new StarRocksWriterState("secrets", database, "ds_public", 0, 7),
                new StarRocksCommittable(database, "ds_public", "secrets-ds_public-0-7"),
                new StarRocksCommitter(map)));
        try (EngineWriter writer = new EngineWriter(
                        map, WriterContext.standalone(), SinkMetrics.forOperator(new UnregisteredMetricsGroup(), map));
                NativeCommitter committer = NativeCommitter.create(map)) {
            writer.registerRawTable(database, "ds_public", new LinkedHashMap<String, String>());
            roots.add(writer);
            roots.add(committer);
            for (String line : ConnectorObjects.describe(roots.toArray())) {
                System.out.println("object " + line);
            }
        }
    }
}
