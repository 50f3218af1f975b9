package com.starrocks.connector.flink.datastream;

import com.starrocks.connector.flink.StarRocksSink;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;
import com.starrocks.connector.flink.testing.EmulatorProcess;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * DataStream jobs of records given as text ({@code StarRocksSink.sink(options)}) with the options
 * that change what happens to them: {@code sink.wrap-json-as-array} (each record is a JSON array
 * of rows) and {@code sink.blackhole} (rows are encoded and dropped).
 */
public class TextRecordOptionsTest {
    private static EmulatorProcess emulator;

    @BeforeClass
    public static void startEmulator() throws Exception {
        emulator = EmulatorProcess.start();
    }

    @AfterClass
    public static void stopEmulator() throws Exception {
        emulator.close();
    }

    private static void createTable(String table) throws Exception {
        emulator.createTable("text", table, "DUPLICATE", Collections.singletonList("id"),
                "id INT NOT NULL", "name VARCHAR(32)");
    }

    private static void run(StarRocksSinkOptions options, String... records) throws Exception {
        StreamExecutionEnvironment env = DataStreamJobs.environment(1, 0);
        env.fromElements(records).addSink(StarRocksSink.sink(options));
        env.execute("text records");
    }

    @Test
    public void eachElementOfAnArrayRecordIsARowWithWrapJsonAsArray() throws Exception {
        createTable("wrapped");
        StarRocksSinkOptions options = DataStreamJobs.options(emulator, "text", "wrapped",
                "sink.properties.format", "json", "sink.wrap-json-as-array", "true");
        run(options,
                "[{\"id\":1,\"name\":\"a\"},{\"id\":2,\"name\":\"b\"}]",
                "[]",
                " [ {\"id\":3,\"name\":\"c\"} ] ");
        List<List<String>> rows = new ArrayList<>(emulator.rows("text", "wrapped"));
        rows.sort((x, y) -> x.get(0).compareTo(y.get(0)));
        assertEquals(Arrays.asList(Arrays.asList("1", "a"), Arrays.asList("2", "b"), Arrays.asList("3", "c")), rows);
    }

    @Test
    public void aRecordThatIsNoArrayFailsTheJobNamingTheOption() throws Exception {
        createTable("not_wrapped");
        StarRocksSinkOptions options = DataStreamJobs.options(emulator, "text", "not_wrapped",
                "sink.properties.format", "json", "sink.wrap-json-as-array", "true");
        try {
            run(options, "{\"id\":1,\"name\":\"a\"}");
            fail("the job succeeded");
        } catch (Exception e) {
            String messages = DataStreamJobs.messages(e);
            assertTrue(messages, messages.contains("sink.wrap-json-as-array"));
            assertTrue(messages, messages.contains("text.not_wrapped"));
        }
    }

    @Test
    public void theBlackholeLoadsNothing() throws Exception {
        createTable("hole");
        int loadsBefore = emulator.stats().path("loads").asInt();
        StarRocksSinkOptions options = DataStreamJobs.options(emulator, "text", "hole", "sink.blackhole", "true");
        run(options, "1\ta", "2\tb");
        assertTrue(emulator.rows("text", "hole").isEmpty());
        assertEquals(loadsBefore, emulator.stats().path("loads").asInt());
    }
}
