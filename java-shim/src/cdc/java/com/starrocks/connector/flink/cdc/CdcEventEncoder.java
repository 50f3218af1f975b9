package com.starrocks.connector.flink.cdc;

import com.starrocks.connector.flink.natives.StarRocksException;
import com.starrocks.connector.flink.row.ObjectArrayFrames;
import com.starrocks.connector.flink.sink.EngineWriter;
import com.starrocks.connector.flink.sink.RecordEncoder;

import org.apache.flink.cdc.common.data.RecordData;
import org.apache.flink.cdc.common.event.CreateTableEvent;
import org.apache.flink.cdc.common.event.DataChangeEvent;
import org.apache.flink.cdc.common.event.Event;
import org.apache.flink.cdc.common.event.OperationType;
import org.apache.flink.cdc.common.event.SchemaChangeEvent;
import org.apache.flink.cdc.common.event.TableId;
import org.apache.flink.cdc.common.schema.Schema;
import org.apache.flink.cdc.common.types.DataType;
import org.apache.flink.cdc.common.utils.SchemaUtils;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.RowKind;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes a Flink CDC event stream: schema events keep each table's current schema (the sink
 * writer sees them after the metadata applier changed the StarRocks table, and after its rows
 * were flushed); data change events become typed rows of that schema, loaded with {@code __op}
 * (insert, update and replace upsert; delete deletes by key). The CDC schema name is the
 * StarRocks database.
 */
final class CdcEventEncoder implements RecordEncoder<Event> {
    private static final long serialVersionUID = 1L;

    private final String zone;

    private transient Map<TableId, TableState> tables;
    private transient ZoneId zoneId;

    /** @param zone the pipeline's {@code local-time-zone}, for TIMESTAMP_LTZ values */
    CdcEventEncoder(String zone) {
        this.zone = zone;
    }

    @Override
    public void open(EngineWriter writer) {
        tables = new HashMap<>();
        zoneId = ZoneId.of(zone);
    }

    @Override
    public void encode(Event event, EngineWriter writer) {
        if (event instanceof SchemaChangeEvent) {
            onSchemaChange((SchemaChangeEvent) event, writer);
        } else if (event instanceof DataChangeEvent) {
            onDataChange((DataChangeEvent) event, writer);
        }
        // Other events (FlushEvent) are handled by Flink CDC's writer operator.
    }

    private void onSchemaChange(SchemaChangeEvent event, EngineWriter writer) {
        TableId id = event.tableId();
        Schema schema;
        if (event instanceof CreateTableEvent) {
            schema = ((CreateTableEvent) event).getSchema();
        } else {
            TableState current = tables.get(id);
            if (current == null) {
                throw new IllegalStateException(
                        "table " + id + ": schema change " + event + " before the table's CreateTableEvent");
            }
            schema = SchemaUtils.applySchemaChangeEvent(current.schema, event);
        }
        tables.put(id, new TableState(id, schema, zoneId, writer));
    }

    private void onDataChange(DataChangeEvent event, EngineWriter writer) {
        TableState table = tables.get(event.tableId());
        if (table == null) {
            throw new IllegalStateException(
                    "table " + event.tableId() + ": a data change event before the table's CreateTableEvent");
        }
        boolean delete = event.op() == OperationType.DELETE;
        RecordData record = delete ? event.before() : event.after();
        table.write(record, delete ? RowKind.DELETE : RowKind.INSERT, writer);
    }

    /** A table's schema as the writer knows it, registered with the engine. */
    private static final class TableState {
        final Schema schema;
        final String name;
        final List<DataType> types;
        final List<RecordData.FieldGetter> getters;
        final ObjectArrayFrames frames;
        final ZoneId zone;
        final int engineId;

        TableState(TableId id, Schema schema, ZoneId zone, EngineWriter writer) {
            this.schema = schema;
            this.name = id.identifier();
            this.types = schema.getColumnDataTypes();
            this.getters = SchemaUtils.createFieldGetters(schema);
            this.zone = zone;
            List<String> names = schema.getColumnNames();
            List<LogicalType> engineTypes = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                CdcTypes.starRocksType(types.get(i), "table " + name + ", column " + names.get(i));
                engineTypes.add(CdcTypes.engineType(types.get(i)));
            }
            this.frames = new ObjectArrayFrames(name, names, engineTypes);
            if (schema.primaryKeys().isEmpty()) {
                throw new StarRocksException(
                        StarRocksException.Kind.UNSUPPORTED,
                        "table " + name + " has no primary key: the StarRocks pipeline sink loads changelogs"
                                + " into PRIMARY KEY tables only");
            }
            this.engineId =
                    writer.registerTypedTable(
                            database(id), id.getTableName(), names.toArray(new String[0]),
                            Collections.<String, String>emptyMap(), true);
        }

        void write(RecordData record, RowKind kind, EngineWriter writer) {
            Object[] row = new Object[types.size()];
            for (int i = 0; i < row.length; i++) {
                row[i] = CdcTypes.value(types.get(i), getters.get(i).getFieldOrNull(record), zone);
            }
            frames.canonicalize(row);
            writer.writeRow(engineId, kind.toByteValue(), row.length, frames, row);
        }
    }

    /** The StarRocks database of a CDC table: its schema name, or its namespace when it has none. */
    static String database(TableId id) {
        if (id.getSchemaName() != null && !id.getSchemaName().isEmpty()) {
            return id.getSchemaName();
        }
        return id.getNamespace();
    }
}
