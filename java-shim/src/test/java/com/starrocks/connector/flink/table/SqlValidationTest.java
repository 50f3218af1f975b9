package com.starrocks.connector.flink.table;

import com.starrocks.connector.flink.testing.SqlJobs;

import org.apache.flink.table.api.TableEnvironment;
import org.junit.Test;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** Bad options and types fail at planning time with a message naming what is wrong. */
public class SqlValidationTest {

    /** Plans an INSERT into a sink declared with {@code columns} and {@code with}; returns the error. */
    private static String planningError(String columns, String with) {
        TableEnvironment env = SqlJobs.streaming(1);
        env.executeSql("CREATE TABLE sink (" + columns + ") WITH (" + with + ")");
        env.executeSql(
                "CREATE TABLE src WITH ('connector' = 'datagen', 'number-of-rows' = '1')"
                        + " LIKE sink (EXCLUDING OPTIONS)");
        try {
            env.explainSql("INSERT INTO sink SELECT * FROM src");
        } catch (Exception e) {
            StringBuilder all = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                all.append(t.getMessage()).append('\n');
            }
            assertFalse(all.toString(), all.toString().contains("topsecret"));
            return all.toString();
        }
        fail("planning succeeded");
        return null;
    }

    private static String with(String... extra) {
        return SqlJobs.sinkWith("jdbc:mysql://127.0.0.1:9030", "127.0.0.1:8030", "db", "t").replace("'password' = ''", "'password' = 'topsecret'")
                + extraOptions(extra);
    }

    private static String extraOptions(String... kv) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            sb.append(", '").append(kv[i]).append("' = '").append(kv[i + 1]).append("'");
        }
        return sb.toString();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue("expected '" + p + "' in: " + message, message.contains(p));
        }
    }

    @Test
    public void unknownKeysAreRejected() {
        assertMentions(planningError("id INT", with("sink.buffer-flush.max-byte", "1")), "sink.buffer-flush.max-byte");
    }

    @Test
    public void sinkPropertiesPassThroughButNotBuiltOnesFail() {
        assertMentions(planningError("id INT", with("sink.properties.enable_merge_commit", "true")), "enable_merge_commit", "not supported yet");
        assertMentions(planningError("id INT", with("sink.properties.compression", "snappy")), "'sink.properties.compression'", "snappy");
    }

    @Test
    public void optionsWhoseBehaviourIsNotBuiltSaySo() {
        assertMentions(planningError("id INT", with("sink.semantic", "exactly-once", "sink.version", "V1")), "'sink.version'", "not supported yet");
        assertMentions(planningError("id INT", with("sink.transaction.multi-table.enabled", "true")), "sink.transaction.multi-table.enabled", "not supported yet");
    }

    @Test
    public void aMissingLoadUrlIsNamed() {
        String w = with().replace("'load-url' = '127.0.0.1:8030', ", "");
        assertMentions(planningError("id INT", w), "load-url");
    }

    @Test
    public void aLoadUrlWithoutPortIsNamed() {
        assertMentions(planningError("id INT", with().replace("127.0.0.1:8030", "fe-host")), "'load-url'", "no port");
    }

    @Test
    public void negativeSizesAreNamed() {
        assertMentions(planningError("id INT", with("sink.buffer-flush.max-bytes", "-5")), "'sink.buffer-flush.max-bytes'");
        assertMentions(planningError("id INT", with("sink.buffer-flush.max-rows", "-5")), "'sink.buffer-flush.max-rows'");
    }

    @Test
    public void anUnknownSemanticIsNamed() {
        assertMentions(planningError("id INT", with("sink.semantic", "sometimes")), "'sink.semantic'", "sometimes");
    }

    @Test
    public void unsupportedColumnTypesNameTheColumn() {
        assertMentions(planningError("id INT, tags MULTISET<STRING>", with()), "'tags'", "MULTISET<STRING>", "cannot be loaded into StarRocks");
    }
}
