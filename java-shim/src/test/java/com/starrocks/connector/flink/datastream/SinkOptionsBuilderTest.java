package com.starrocks.connector.flink.datastream;

import com.starrocks.connector.flink.natives.StarRocksException;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;
import com.starrocks.connector.flink.table.sink.StarRocksSinkSemantic;
import com.starrocks.data.load.stream.properties.StreamLoadTableProperties;

import org.apache.flink.configuration.Configuration;
import org.junit.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * {@code StarRocksSinkOptions.builder()} validates through the engine and names the option at
 * fault; the getters read what the user set, with the public connector's defaults; per-table
 * properties are checked when added; the password never shows.
 */
public class SinkOptionsBuilderTest {

    private static StarRocksSinkOptions.Builder required() {
        return StarRocksSinkOptions.builder()
                .withProperty("jdbc-url", "jdbc:mysql://fe1:9030")
                .withProperty("load-url", "fe1:8030;fe2:8030")
                .withProperty("database-name", "db")
                .withProperty("table-name", "t")
                .withProperty("username", "loader")
                .withProperty("password", "s3cret-pw");
    }

    private static StarRocksException buildFails(StarRocksSinkOptions.Builder builder) {
        try {
            builder.build();
        } catch (StarRocksException e) {
            assertFalse(e.getMessage(), e.getMessage().contains("s3cret-pw"));
            return e;
        }
        throw new AssertionError("build() accepted invalid options");
    }

    private static void assertNames(StarRocksException e, StarRocksException.Kind kind, String... parts) {
        assertEquals(e.getMessage(), kind, e.kind());
        for (String part : parts) {
            assertTrue("'" + part + "' not in: " + e.getMessage(), e.getMessage().contains(part));
        }
    }

    @Test
    public void aMissingRequiredOptionIsNamed() {
        StarRocksSinkOptions.Builder b =
                StarRocksSinkOptions.builder()
                        .withProperty("jdbc-url", "jdbc:mysql://fe1:9030")
                        .withProperty("database-name", "db")
                        .withProperty("table-name", "t")
                        .withProperty("username", "loader")
                        .withProperty("password", "s3cret-pw");
        assertNames(buildFails(b), StarRocksException.Kind.CONFIG, "'load-url'");
    }

    @Test
    public void invalidValuesAreNamedWithTheirOption() {
        assertNames(buildFails(required().withProperty("sink.semantic", "twice")),
                StarRocksException.Kind.CONFIG, "'sink.semantic'", "twice");
        assertNames(buildFails(required().withProperty("sink.max-retries", "-1")),
                StarRocksException.Kind.CONFIG, "'sink.max-retries'");
        assertNames(buildFails(required().withProperty("load-url", "fe1")),
                StarRocksException.Kind.CONFIG, "'load-url'", "fe1");
        assertNames(buildFails(required().withProperty("sink.properties.format", "xml")),
                StarRocksException.Kind.CONFIG, "'sink.properties.format'", "xml");
        assertNames(buildFails(required().withProperty("sink.label-prefix", "bad prefix!")),
                StarRocksException.Kind.CONFIG, "sink.label-prefix");
    }

    @Test
    public void unknownKeysAndUnbuiltFeaturesFailLoudly() {
        assertNames(buildFails(required().withProperty("sink.buffer-flush.max-rowz", "10")),
                StarRocksException.Kind.CONFIG, "'sink.buffer-flush.max-rowz'");
        assertNames(buildFails(required().withProperty("sink.properties.enable_merge_commit", "true")),
                StarRocksException.Kind.UNSUPPORTED, "enable_merge_commit", "not supported yet");
        assertNames(buildFails(required().withProperty("sink.transaction.multi-table.enabled", "true")),
                StarRocksException.Kind.UNSUPPORTED, "'sink.transaction.multi-table.enabled'", "not supported yet");
    }

    @Test
    public void aNullValueIsRefusedWithItsKey() {
        try {
            required().withProperty("sink.label-prefix", null);
            fail();
        } catch (StarRocksException e) {
            assertNames(e, StarRocksException.Kind.CONFIG, "'sink.label-prefix'");
        }
    }

    @Test
    public void gettersReadTheOptionsWithTheDefaultsOfThePublicConnector() {
        StarRocksSinkOptions o =
                required()
                        .withProperty("sink.semantic", "exactly-once")
                        .withProperty("sink.label-prefix", "job_1")
                        .withProperty("sink.connect.timeout-ms", "50")
                        .withProperty("sink.properties.Format", "JSON")
                        .withProperty("sink.abort.lingering-txns", "false") // deprecated key
                        .build();
        assertEquals("jdbc:mysql://fe1:9030", o.getJdbcUrl());
        assertEquals(Arrays.asList("fe1:8030", "fe2:8030"), o.getLoadUrlList());
        assertEquals("db", o.getDatabaseName());
        assertEquals("t", o.getTableName());
        assertEquals("loader", o.getUsername());
        assertEquals(StarRocksSinkSemantic.EXACTLY_ONCE, o.getSemantic());
        assertEquals("job_1", o.getLabelPrefix());
        assertEquals(100, o.getConnectTimeout()); // clamped as the engine does
        assertEquals(3, o.getSinkMaxRetries());
        assertEquals(94371840L, o.getSinkMaxBytes());
        assertEquals(300000L, o.getSinkMaxFlushInterval());
        assertEquals(30000, o.getWaitForContinueTimeout());
        assertEquals("AUTO", o.getSinkVersion());
        assertNull(o.getSinkParallelism());
        assertTrue(o.getIgnoreUpdateBefore());
        assertFalse(o.isAbortLingeringTxns());
        assertEquals(StarRocksSinkOptions.StreamLoadFormat.JSON, o.getStreamLoadFormat());
        assertEquals("JSON", o.getSinkStreamLoadProperties().get("format"));
        assertFalse(o.hasColumnMappingProperty());
        assertFalse(o.isUseUnifiedSinkApi());
        assertEquals("false", o.asMap().get("sink.exactly-once.enable-abort-lingering-txn"));
    }

    @Test
    public void thePasswordNeverShows() {
        StarRocksSinkOptions o = required().build();
        o.addTableProperties(StreamLoadTableProperties.builder().database("db").table("t2").addProperty("format", "json").build());
        assertFalse(o.toString(), o.toString().contains("s3cret-pw"));
        assertTrue(o.toString(), o.toString().contains("******"));
        assertEquals("s3cret-pw", o.getPassword());
    }

    @Test
    public void credentialsInsideUrlsNeverShow() {
        StarRocksSinkOptions o = required()
                .withProperty("jdbc-url", "jdbc:mysql://fe1:9030/db?user=loader&password=s3cret-pw&useSSL=false")
                .build();
        assertTrue(o.toString(), o.toString().contains("jdbc:mysql://fe1:9030/db?user=loader&password=***&useSSL=false"));
        Map<String, String> raw = new HashMap<>(required().build().asMap());
        raw.put("load-url", "http://loader:s3/cret-pw@fe1:8030");
        StarRocksSinkOptions unchecked = StarRocksSinkOptions.of(raw);
        assertFalse(unchecked.toString(), unchecked.toString().contains("cret-pw"));
        assertTrue(unchecked.toString(), unchecked.toString().contains("http://***@fe1:8030"));
    }

    @Test
    public void tablePropertiesAreValidatedWhenAddedAndNameTheTable() {
        StarRocksSinkOptions o = required().build();
        try {
            o.addTableProperties(
                    StreamLoadTableProperties.builder().database("db").table("t2").addProperty("format", "xml").build());
            fail();
        } catch (StarRocksException e) {
            assertNames(e, StarRocksException.Kind.CONFIG, "db.t2", "format", "xml");
        }
        try {
            o.addTableProperties(
                    StreamLoadTableProperties.builder().database("db").table("t3").addProperty("label", "x").build());
            fail();
        } catch (StarRocksException e) {
            assertNames(e, StarRocksException.Kind.CONFIG, "db.t3", "label");
        }
        assertTrue(o.getTablePropertiesList().isEmpty());
        // A table may switch format and its CSV separators, whatever case the sink used.
        StarRocksSinkOptions csv = required().withProperty("sink.properties.FORMAT", "csv").build();
        csv.addTableProperties(
                StreamLoadTableProperties.builder().database("db").table("t4")
                        .addProperty("format", "json").columns("`a`,`b`").build());
        assertEquals(1, csv.getTablePropertiesList().size());
        assertEquals("`a`,`b`", csv.getTablePropertiesList().get(0).getColumns());
    }

    @Test
    public void tablePropertiesNeedADatabaseAndATable() {
        try {
            StreamLoadTableProperties.builder().database("db").addProperty("format", "json").build();
            fail();
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("table"));
        }
    }

    @Test
    public void optionsFromAFlinkConfigurationAndAPropertiesMapAsFlinkCdcCreatesThem() {
        Configuration config = new Configuration();
        config.set(StarRocksSinkOptions.JDBC_URL, "jdbc:mysql://fe1:9030");
        config.set(StarRocksSinkOptions.LOAD_URL, Arrays.asList("fe1:8030", "fe2:8030"));
        config.set(StarRocksSinkOptions.USERNAME, "loader");
        config.set(StarRocksSinkOptions.PASSWORD, "s3cret-pw");
        config.set(StarRocksSinkOptions.DATABASE_NAME, "*");
        config.set(StarRocksSinkOptions.TABLE_NAME, "*");
        config.set(StarRocksSinkOptions.SINK_USE_NEW_SINK_API, true);
        config.set(StarRocksSinkOptions.SINK_BATCH_FLUSH_INTERVAL, 5000L);
        Map<String, String> properties = new HashMap<>();
        properties.put("sink.properties.format", "json");
        properties.put("sink.properties.strip_outer_array", "true");
        properties.put("not-a-property", "ignored");

        StarRocksSinkOptions o = new StarRocksSinkOptions(config, properties);
        assertEquals("fe1:8030;fe2:8030", o.asMap().get("load-url"));
        assertEquals("*", o.getDatabaseName());
        assertEquals(5000L, o.getSinkMaxFlushInterval());
        assertTrue(o.isUseUnifiedSinkApi());
        assertEquals(StarRocksSinkOptions.StreamLoadFormat.JSON, o.getStreamLoadFormat());
        assertFalse(o.asMap().containsKey("not-a-property"));

        config.set(StarRocksSinkOptions.SINK_SEMANTIC, "sometimes");
        try {
            new StarRocksSinkOptions(config, properties);
            fail();
        } catch (StarRocksException e) {
            assertNames(e, StarRocksException.Kind.CONFIG, "'sink.semantic'");
        }
    }
}
