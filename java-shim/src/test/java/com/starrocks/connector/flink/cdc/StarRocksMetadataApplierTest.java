package com.starrocks.connector.flink.cdc;

import com.starrocks.connector.flink.testing.EmulatorProcess;

import org.apache.flink.cdc.common.configuration.Configuration;
import org.apache.flink.cdc.common.event.AddColumnEvent;
import org.apache.flink.cdc.common.event.AlterColumnTypeEvent;
import org.apache.flink.cdc.common.event.CreateTableEvent;
import org.apache.flink.cdc.common.event.DropColumnEvent;
import org.apache.flink.cdc.common.event.RenameColumnEvent;
import org.apache.flink.cdc.common.event.SchemaChangeEvent;
import org.apache.flink.cdc.common.event.TableId;
import org.apache.flink.cdc.common.factories.FactoryHelper;
import org.apache.flink.cdc.common.schema.Column;
import org.apache.flink.cdc.common.schema.Schema;
import org.apache.flink.cdc.common.sink.DataSink;
import org.apache.flink.cdc.common.sink.MetadataApplier;
import org.apache.flink.cdc.common.types.DataTypes;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * The pipeline sink's options and its schema changes against the emulator: CDC types become the
 * documented StarRocks types, replayed changes are no-ops, and what StarRocks cannot take fails
 * naming the table, the column and the change.
 */
public class StarRocksMetadataApplierTest {
    private static final TableId TABLE = TableId.tableId("shop", "orders");

    private EmulatorProcess emulator;
    private MetadataApplier applier;

    @Before
    public void setUp() throws Exception {
        emulator = EmulatorProcess.start();
        Map<String, String> options = connection();
        options.put("table.create.num-buckets", "4");
        options.put("table.create.properties.replication_num", "1");
        applier = sink(options).getMetadataApplier();
    }

    @After
    public void tearDown() throws Exception {
        emulator.close();
    }

    private Map<String, String> connection() {
        Map<String, String> options = new HashMap<>();
        options.put("jdbc-url", emulator.jdbcUrl());
        options.put("load-url", emulator.feHttp());
        options.put("username", "root");
        options.put("password", "");
        return options;
    }

    private static DataSink sink(Map<String, String> options) {
        return new StarRocksDataSinkFactory().createDataSink(
                new FactoryHelper.DefaultContext(
                        Configuration.fromMap(options), new Configuration(), StarRocksMetadataApplierTest.class.getClassLoader()));
    }

    private static Schema orders() {
        return Schema.newBuilder()
                .physicalColumn("note", DataTypes.STRING())
                .physicalColumn("id", DataTypes.BIGINT().notNull())
                .physicalColumn("paid", DataTypes.BOOLEAN())
                .physicalColumn("qty", DataTypes.SMALLINT())
                .physicalColumn("price", DataTypes.DECIMAL(10, 2))
                .physicalColumn("code", DataTypes.CHAR(10))
                .physicalColumn("name", DataTypes.VARCHAR(20))
                .physicalColumn("day", DataTypes.DATE())
                .physicalColumn("at", DataTypes.TIMESTAMP(3))
                .physicalColumn("seen", DataTypes.TIMESTAMP_LTZ(6))
                .primaryKey("id")
                .build();
    }

    @Test
    public void aTableIsCreatedWithTheKeyFirstAndStarRocksTypes() throws Exception {
        applier.applySchemaChange(new CreateTableEvent(TABLE, orders()));
        assertEquals(
                Arrays.asList(
                        "id bigint(20) PRI", "note varchar(1048576) ", "paid tinyint(1) ", "qty smallint(6) ",
                        "price decimal(10,2) ", "code char(30) ", "name varchar(60) ", "day date ",
                        "at datetime ", "seen datetime "),
                columns());
        String ddl = emulator.sql("SHOW CREATE TABLE shop.orders").get("rows").get(0).get(1).asText();
        assertTrue(ddl, ddl.contains("BUCKETS 4"));
        assertTrue(ddl, ddl.contains("\"replication_num\" = \"1\""));
        // A replayed CreateTableEvent leaves the table alone.
        applier.applySchemaChange(new CreateTableEvent(TABLE, orders()));
        assertEquals(10, columns().size());
    }

    @Test
    public void replayedSchemaChangesAreNoOps() throws Exception {
        applier.applySchemaChange(new CreateTableEvent(TABLE, orders()));
        List<SchemaChangeEvent> changes = Arrays.asList(
                new AddColumnEvent(TABLE, Collections.singletonList(new AddColumnEvent.ColumnWithPosition(
                        Column.physicalColumn("city", DataTypes.VARCHAR(10)), AddColumnEvent.ColumnPosition.AFTER, "id"))),
                new RenameColumnEvent(TABLE, Collections.singletonMap("note", "remark")),
                new DropColumnEvent(TABLE, Collections.singletonList("qty")),
                new AlterColumnTypeEvent(TABLE, Collections.singletonMap("name", DataTypes.VARCHAR(40))));
        for (int round = 0; round < 2; round++) {
            for (SchemaChangeEvent change : changes) {
                applier.applySchemaChange(change);
            }
        }
        assertEquals(
                Arrays.asList(
                        "id bigint(20) PRI", "city varchar(30) ", "remark varchar(1048576) ", "paid tinyint(1) ",
                        "price decimal(10,2) ", "code char(30) ", "name varchar(120) ", "day date ", "at datetime ",
                        "seen datetime "),
                columns());
    }

    /** StarRocks runs an ALTER as a job: the applier waits for it, at most the configured timeout. */
    @Test
    public void anAlterWaitsForItsJobBoundedByTheSchemaChangeTimeout() throws Exception {
        applier.applySchemaChange(new CreateTableEvent(TABLE, orders()));
        emulator.call("PUT", "/control/settings", "{\"alter_job_ms\": 1500}");
        long start = System.nanoTime();
        applier.applySchemaChange(new DropColumnEvent(TABLE, Collections.singletonList("qty")));
        assertTrue("did not wait for the job", System.nanoTime() - start >= 1_400_000_000L);
        assertEquals(9, columns().size());

        Map<String, String> options = connection();
        options.put("table.schema-change.timeout", "1 s");
        MetadataApplier impatient = sink(options).getMetadataApplier();
        emulator.call("PUT", "/control/settings", "{\"alter_job_ms\": 60000}");
        String message;
        try {
            impatient.applySchemaChange(new DropColumnEvent(TABLE, Collections.singletonList("code")));
            throw new AssertionError("no timeout");
        } catch (IllegalStateException e) {
            message = e.getMessage();
        }
        assertTrue(message, message.contains("table shop.orders: cannot apply DropColumnEvent"));
        assertTrue(message, message.contains("`ALTER TABLE `shop`.`orders` DROP COLUMN `code`` did not finish within"
                + " table.schema-change.timeout (1000 ms); its job is RUNNING"));
    }

    @Test
    public void anUnsupportedTypeFailsNamingTableColumnAndChange() throws Exception {
        applier.applySchemaChange(new CreateTableEvent(TABLE, orders()));
        AddColumnEvent add = new AddColumnEvent(TABLE, Collections.singletonList(
                new AddColumnEvent.ColumnWithPosition(Column.physicalColumn("tags", DataTypes.ARRAY(DataTypes.INT())))));
        String message = failure(add);
        assertTrue(message, message.contains("table shop.orders, column tags: type ARRAY<INT> is not supported"));
        assertTrue(message, message.contains("AddColumnEvent"));
        assertEquals(10, columns().size());

        String time = failure(new AlterColumnTypeEvent(TABLE, Collections.singletonMap("at", DataTypes.TIME())));
        assertTrue(time, time.contains("table shop.orders, column at: type TIME(0) is not supported"));
        assertTrue(time, time.contains("AlterColumnTypeEvent"));
    }

    @Test
    public void aTableWithoutPrimaryKeyIsRefused() throws Exception {
        Schema noKey = Schema.newBuilder().physicalColumn("a", DataTypes.INT()).build();
        String message = failure(new CreateTableEvent(TableId.tableId("shop", "log"), noKey));
        assertTrue(message, message.contains("table shop.log has no primary key"));
        assertEquals(0, emulator.sql("select TABLE_NAME from information_schema.TABLES where TABLE_SCHEMA = 'shop'")
                .get("rows").size());
    }

    @Test
    public void optionsAreCheckedByName() {
        Map<String, String> unknown = connection();
        unknown.put("sink.bufer-flush.interval-ms", "1000");
        assertRefused(unknown, "has no option [sink.bufer-flush.interval-ms]");
        Map<String, String> bad = connection();
        bad.put("sink.buffer-flush.interval-ms", "soon");
        assertRefused(bad, "sink.buffer-flush.interval-ms");
        Map<String, String> missing = connection();
        missing.remove("password");
        assertRefused(missing, "needs the option 'password'");
    }

    private static void assertRefused(Map<String, String> options, String expected) {
        try {
            sink(options);
            fail("accepted " + options);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains(expected));
        }
    }

    private String failure(SchemaChangeEvent event) {
        try {
            applier.applySchemaChange(event);
            throw new AssertionError("applied " + event);
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** "name column_type key" of shop.orders in table order. */
    private List<String> columns() throws IOException {
        JsonNode rows = emulator.sql("select COLUMN_NAME, COLUMN_TYPE, COLUMN_KEY from information_schema.COLUMNS"
                + " where TABLE_SCHEMA = 'shop' and TABLE_NAME = 'orders' order by ORDINAL_POSITION").get("rows");
        List<String> out = new ArrayList<>();
        for (JsonNode r : rows) {
            out.add(r.get(0).asText() + " " + r.get(1).asText() + " " + r.get(2).asText());
        }
        return out;
    }
}
