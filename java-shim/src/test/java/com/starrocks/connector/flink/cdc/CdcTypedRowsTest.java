package com.starrocks.connector.flink.cdc;

import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.Rows;

import org.apache.flink.cdc.common.configuration.Configuration;
import org.apache.flink.cdc.common.data.DecimalData;
import org.apache.flink.cdc.common.data.LocalZonedTimestampData;
import org.apache.flink.cdc.common.data.RecordData;
import org.apache.flink.cdc.common.data.TimestampData;
import org.apache.flink.cdc.common.data.binary.BinaryStringData;
import org.apache.flink.cdc.common.event.AddColumnEvent;
import org.apache.flink.cdc.common.event.CreateTableEvent;
import org.apache.flink.cdc.common.event.DataChangeEvent;
import org.apache.flink.cdc.common.event.Event;
import org.apache.flink.cdc.common.event.TableId;
import org.apache.flink.cdc.common.factories.FactoryHelper;
import org.apache.flink.cdc.common.pipeline.PipelineOptions;
import org.apache.flink.cdc.common.schema.Column;
import org.apache.flink.cdc.common.schema.Schema;
import org.apache.flink.cdc.common.sink.DataSink;
import org.apache.flink.cdc.common.sink.FlinkSinkProvider;
import org.apache.flink.cdc.common.types.DataType;
import org.apache.flink.cdc.common.types.DataTypes;
import org.apache.flink.cdc.runtime.typeutils.BinaryRecordDataGenerator;
import org.apache.flink.cdc.runtime.typeutils.EventTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;

/**
 * Typed Flink CDC rows through the pipeline sink's Sink V2 on a MiniCluster: every supported type
 * lands with its exact value (TIMESTAMP_LTZ in the pipeline's time zone), updates and deletes
 * apply by key, and rows after an added column carry it while the rows before it have NULL.
 */
public class CdcTypedRowsTest {
    private static final TableId TABLE = TableId.tableId("shop", "typed");
    private static final DataType[] TYPES = {
        DataTypes.BIGINT().notNull(), DataTypes.BOOLEAN(), DataTypes.TINYINT(), DataTypes.SMALLINT(),
        DataTypes.INT(), DataTypes.DECIMAL(12, 3), DataTypes.FLOAT(), DataTypes.DOUBLE(), DataTypes.CHAR(4),
        DataTypes.VARCHAR(20), DataTypes.DATE(), DataTypes.TIMESTAMP(6), DataTypes.TIMESTAMP_LTZ(3)
    };
    private static final String[] NAMES = {
        "id", "flag", "tiny", "small", "num", "amount", "ratio", "score", "code", "name", "day", "at", "seen"
    };

    private EmulatorProcess emulator;

    @Before
    public void startEmulator() throws Exception {
        emulator = EmulatorProcess.start();
    }

    @After
    public void stopEmulator() throws Exception {
        emulator.close();
    }

    @Test
    public void typedRowsUpdatesDeletesAndAnAddedColumnLandExactly() throws Exception {
        Map<String, String> options = new HashMap<>();
        options.put("jdbc-url", emulator.jdbcUrl());
        options.put("load-url", emulator.feHttp());
        options.put("username", "root");
        options.put("password", "");
        Configuration pipeline = new Configuration().set(PipelineOptions.PIPELINE_LOCAL_TIME_ZONE, "Asia/Shanghai");
        DataSink sink = new StarRocksDataSinkFactory().createDataSink(
                new FactoryHelper.DefaultContext(Configuration.fromMap(options), pipeline, getClass().getClassLoader()));

        Schema.Builder builder = Schema.newBuilder();
        for (int i = 0; i < NAMES.length; i++) {
            builder.physicalColumn(NAMES[i], TYPES[i]);
        }
        Schema schema = builder.primaryKey("id").build();
        CreateTableEvent create = new CreateTableEvent(TABLE, schema);
        AddColumnEvent addExtra = new AddColumnEvent(TABLE, Collections.singletonList(
                new AddColumnEvent.ColumnWithPosition(Column.physicalColumn("extra", DataTypes.INT()))));
        // What Flink CDC's schema coordinator does before the writers see the events.
        sink.getMetadataApplier().applySchemaChange(create);
        sink.getMetadataApplier().applySchemaChange(addExtra);

        BinaryRecordDataGenerator rows = new BinaryRecordDataGenerator(TYPES);
        RecordData one = rows.generate(values(1, "one"));
        RecordData two = rows.generate(new Object[] {2L, null, null, null, null, null, null, null, null, null, null, null, null});
        RecordData three = rows.generate(values(3, "three"));
        RecordData threeUpdated = rows.generate(values(3, "three, updated"));
        DataType[] withExtra = Arrays.copyOf(TYPES, TYPES.length + 1);
        withExtra[TYPES.length] = DataTypes.INT();
        Object[] four = Arrays.copyOf(values(4, "four"), TYPES.length + 1);
        four[TYPES.length] = 44;
        List<Event> events = Arrays.<Event>asList(
                create,
                DataChangeEvent.insertEvent(TABLE, one),
                DataChangeEvent.insertEvent(TABLE, two),
                DataChangeEvent.insertEvent(TABLE, three),
                DataChangeEvent.updateEvent(TABLE, three, threeUpdated),
                DataChangeEvent.deleteEvent(TABLE, two),
                addExtra,
                DataChangeEvent.insertEvent(TABLE, new BinaryRecordDataGenerator(withExtra).generate(four)));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromCollection(events, new EventTypeInfo()).sinkTo(((FlinkSinkProvider) sink.getEventSinkProvider()).getSink());
        env.execute("typed CDC rows");

        List<List<String>> got = new ArrayList<>(emulator.rows("shop", "typed"));
        got.sort((a, b) -> a.get(0).compareTo(b.get(0)));
        assertEquals(got.toString(), 3, got.size());
        String[] columns = Arrays.copyOf(NAMES, NAMES.length + 1);
        columns[NAMES.length] = "extra";
        Rows.assertRow(1, columns, expected(1, "one", null), got.get(0));
        Rows.assertRow(3, columns, expected(3, "three, updated", null), got.get(1));
        Rows.assertRow(4, columns, expected(4, "four", "44"), got.get(2));
    }

    /** Internal CDC values of a full row. */
    private static Object[] values(long id, String name) {
        return new Object[] {
            id,
            id % 2 == 1,
            (byte) -id,
            (short) (1000 + id),
            (int) (100_000 * id),
            DecimalData.fromBigDecimal(new BigDecimal(id + ".125"), 12, 3),
            id / 4f,
            id / 3d,
            BinaryStringData.fromString("c" + id),
            BinaryStringData.fromString(name),
            (int) LocalDate.of(2024, 2, 29).plusDays(id).toEpochDay(),
            TimestampData.fromLocalDateTime(LocalDateTime.of(2024, 2, 29, 12, 34, 56, 123_456_000).plusHours(id)),
            LocalZonedTimestampData.fromEpochMillis(id * 1000)
        };
    }

    /** The row as the emulator shows it; the StarRocks column order puts the key first. */
    private static List<Object> expected(long id, String name, String extra) {
        return Arrays.<Object>asList(
                String.valueOf(id),
                id % 2 == 1 ? "1" : "0",
                String.valueOf(-id),
                String.valueOf(1000 + id),
                String.valueOf(100_000 * id),
                id + ".125",
                id / 4f,
                id / 3d,
                "c" + id,
                name,
                LocalDate.of(2024, 2, 29).plusDays(id).toString(),
                "2024-02-29 " + (12 + id) + ":34:56.123456",
                "1970-01-01 08:00:0" + id,
                extra);
    }
}
