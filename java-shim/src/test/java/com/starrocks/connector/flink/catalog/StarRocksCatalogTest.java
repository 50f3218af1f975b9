package com.starrocks.connector.flink.catalog;

import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.SqlJobs;

import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * The StarRocks catalog from Flink SQL: databases and tables are listed from StarRocks, a
 * table's schema (with its primary key) is read so that INSERT INTO needs no CREATE TABLE, and
 * databases and PRIMARY KEY tables are created and dropped in StarRocks.
 */
public class StarRocksCatalogTest {
    private EmulatorProcess emulator;
    private TableEnvironment env;

    @Before
    public void setUp() throws Exception {
        emulator = EmulatorProcess.start();
        emulator.createTable("shop", "orders", "PRIMARY", Collections.singletonList("id"),
                "id BIGINT NOT NULL", "customer VARCHAR(32)", "amount DECIMAL(10,2)", "paid BOOLEAN", "at DATETIME");
        env = SqlJobs.streaming(1);
        env.executeSql("CREATE CATALOG sr WITH ('type' = 'starrocks', 'jdbc-url' = '" + emulator.jdbcUrl()
                + "', 'load-url' = '" + emulator.feHttp() + "', 'username' = 'root', 'password' = '',"
                + " 'table.properties.replication_num' = '1', 'sink.buffer-flush.interval-ms' = '1000')");
    }

    @After
    public void tearDown() throws Exception {
        emulator.close();
    }

    @Test
    public void anExistingTableIsListedDescribedAndLoadedWithoutCreateTable() throws Exception {
        env.executeSql("USE CATALOG sr");
        assertEquals(Collections.singletonList("shop"), column("SHOW DATABASES", 0));
        assertEquals(Collections.singletonList("orders"), column("SHOW TABLES FROM shop", 0));

        ResolvedSchema schema = env.from("sr.shop.orders").getResolvedSchema();
        List<String> columns = new ArrayList<>();
        for (Column c : schema.getColumns()) {
            columns.add(c.getName() + " " + c.getDataType());
        }
        assertEquals(
                Arrays.asList("id BIGINT NOT NULL", "customer VARCHAR(32)", "amount DECIMAL(10, 2)", "paid BOOLEAN",
                        "at TIMESTAMP(6)"),
                columns);
        assertEquals(Collections.singletonList("id"), schema.getPrimaryKey().get().getColumns());

        env.executeSql("INSERT INTO sr.shop.orders VALUES (1, 'ann', 12.50, TRUE, TIMESTAMP '2024-05-06 07:08:09.123456'),"
                + " (2, CAST(NULL AS STRING), CAST(NULL AS DECIMAL(10, 2)), FALSE, CAST(NULL AS TIMESTAMP(6)))").await();
        assertEquals(
                Arrays.asList(
                        Arrays.asList("1", "ann", "12.50", "1", "2024-05-06 07:08:09.123456"),
                        Arrays.asList("2", null, null, "0", null)),
                emulator.rows("shop", "orders"));
    }

    @Test
    public void databasesAndPrimaryKeyTablesAreCreatedAndDropped() throws Exception {
        env.executeSql("CREATE DATABASE sr.made");
        env.executeSql("CREATE TABLE sr.made.items (name STRING COMMENT 'the name', id INT,"
                + " tag CHAR(2), PRIMARY KEY (id) NOT ENFORCED) COMMENT 'made by Flink'");
        String ddl = emulator.sql("SHOW CREATE TABLE made.items").get("rows").get(0).get(1).asText();
        assertTrue(ddl, ddl.contains("`id` int(11) NOT NULL"));
        assertTrue(ddl, ddl.indexOf("`id`") < ddl.indexOf("`name`"));
        assertTrue(ddl, ddl.contains("`name` varchar(1048576) NULL COMMENT \"the name\""));
        assertTrue(ddl, ddl.contains("`tag` char(6) NULL"));
        assertTrue(ddl, ddl.contains("PRIMARY KEY(`id`)"));
        assertTrue(ddl, ddl.contains("\"replication_num\" = \"1\""));

        // The StarRocks table has the key first: the catalog shows it that way.
        env.executeSql("INSERT INTO sr.made.items VALUES (1, 'x', 'ab'), (2, 'y', 'cd')").await();
        assertEquals(
                Arrays.asList(Arrays.asList("1", "x", "ab"), Arrays.asList("2", "y", "cd")),
                emulator.rows("made", "items"));

        try {
            env.executeSql("CREATE TABLE sr.made.log (line STRING)");
            fail("a table without primary key was created");
        } catch (RuntimeException e) {
            assertTrue(causes(e), causes(e).contains("the StarRocks catalog creates PRIMARY KEY tables only"));
        }
        try {
            env.executeSql("DROP DATABASE sr.made");
            fail("a database with tables was dropped without CASCADE");
        } catch (RuntimeException e) {
            assertTrue(causes(e), causes(e).contains("is not empty"));
        }
        env.executeSql("DROP TABLE sr.made.items");
        assertEquals(Collections.emptyList(), column("SHOW TABLES FROM sr.made", 0));
        env.executeSql("DROP DATABASE sr.made");
        env.executeSql("USE CATALOG sr");
        assertEquals(Collections.singletonList("shop"), column("SHOW DATABASES", 0));
    }

    private List<String> column(String statement, int index) throws Exception {
        List<String> values = new ArrayList<>();
        CloseableIterator<Row> rows = env.executeSql(statement).collect();
        try {
            while (rows.hasNext()) {
                values.add(String.valueOf(rows.next().getField(index)));
            }
        } finally {
            rows.close();
        }
        return values;
    }

    private static String causes(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
