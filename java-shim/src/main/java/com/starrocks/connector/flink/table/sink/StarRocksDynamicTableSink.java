package com.starrocks.connector.flink.table.sink;

import com.starrocks.connector.flink.natives.NativeBridge;
import com.starrocks.connector.flink.sink.RowDataEncoder;
import com.starrocks.connector.flink.sink.TableDescription;

import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.types.logical.LogicalType;

import java.lang.reflect.Method;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The planner's view of a StarRocks sink table. A PRIMARY KEY table applies upserts and deletes;
 * other tables load inserts and update-afters (as the public connector).
 *
 * <p>{@code INSERT INTO t (a, b) ...} (Flink 1.18+) loads only the listed columns. Into a PRIMARY
 * KEY table, loading fewer columns than the StarRocks table has (that way, or with a Flink table
 * that declares only some of them) is a partial update ({@code partial_update} is set unless the
 * table properties say otherwise), so the other columns keep their values.
 */
public class StarRocksDynamicTableSink implements DynamicTableSink {
    private final String flinkTable;
    private final StarRocksSinkOptions options;
    private final List<String> columns;
    private final List<LogicalType> types;
    private final TableDescription description;
    private final boolean primaryKey;
    private final Integer parallelism;
    private final ZoneId zone;

    /**
     * @param flinkTable the Flink table's name, for messages
     * @param zone the session time zone ({@code table.local-time-zone}) for TIMESTAMP_LTZ
     */
    public StarRocksDynamicTableSink(
            String flinkTable,
            StarRocksSinkOptions options,
            List<String> columns,
            List<LogicalType> types,
            TableDescription description,
            boolean primaryKey,
            Integer parallelism,
            ZoneId zone) {
        this.flinkTable = flinkTable;
        this.options = options;
        this.columns = new ArrayList<>(columns);
        this.types = new ArrayList<>(types);
        this.description = description;
        this.primaryKey = primaryKey;
        this.parallelism = parallelism;
        this.zone = zone;
    }

    /** Whatever the query produces, as the public connector (see {@link RowDataEncoder}). */
    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requestedMode) {
        return requestedMode;
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        int[] positions = targetColumns(context);
        List<String> loaded = new ArrayList<>();
        List<LogicalType> loadedTypes = new ArrayList<>();
        for (int p : positions) {
            loaded.add(columns.get(p));
            loadedTypes.add(types.get(p));
        }
        Map<String, String> tableProperties = new HashMap<>();
        if (primaryKey && loaded.size() < description.columns().size()) {
            requireKeyColumns(loaded);
            String userSetting = options.asMap().get(StarRocksSinkOptions.SINK_PROPERTIES_PREFIX + "partial_update");
            if (userSetting == null) {
                tableProperties.put("partial_update", "true");
            }
        }
        boolean json = "json".equalsIgnoreCase(options.asMap().get(StarRocksSinkOptions.SINK_PROPERTIES_PREFIX + "format"));
        String version = description.version();
        if (primaryKey && json && version != null && version.startsWith("1.")
                && !options.asMap().containsKey(StarRocksSinkOptions.SINK_PROPERTIES_PREFIX + "columns")) {
            // StarRocks 1.x does not pick __op from JSON keys by itself.
            StringBuilder names = new StringBuilder();
            for (String c : loaded) {
                names.append('`').append(c).append("`,");
            }
            tableProperties.put("columns", names.append("`__op`").toString());
        }
        RowDataEncoder encoder =
                new RowDataEncoder(
                        options.getDatabaseName(),
                        options.getTableName(),
                        loaded,
                        loadedTypes,
                        positions,
                        primaryKey ? description.primaryKey() : Collections.<String>emptyList(),
                        ignoreUpdateBefore(),
                        tableProperties,
                        columnModes(loaded, loadedTypes),
                        zone);
        return SinkProviders.create(flinkTable, options, encoder, parallelism);
    }

    /**
     * Strings into a StarRocks JSON column are JSON text; BINARY values go to VARBINARY columns
     * (the schema check allows no other target).
     */
    private int[] columnModes(List<String> loaded, List<LogicalType> loadedTypes) {
        int[] modes = new int[loaded.size()];
        for (int i = 0; i < modes.length; i++) {
            TableDescription.Column c = description.column(loaded.get(i));
            switch (loadedTypes.get(i).getTypeRoot()) {
                case BINARY:
                case VARBINARY:
                    modes[i] = NativeBridge.COLUMN_HEX_BINARY;
                    break;
                case CHAR:
                case VARCHAR:
                    boolean json = c != null && "json".equalsIgnoreCase(c.dataType);
                    modes[i] = json ? NativeBridge.COLUMN_JSON_TEXT : NativeBridge.COLUMN_VALUE;
                    break;
                default:
                    modes[i] = NativeBridge.COLUMN_VALUE;
            }
        }
        return modes;
    }

    private boolean ignoreUpdateBefore() {
        String v = options.asMap().get(StarRocksSinkOptions.SINK_IGNORE_UPDATE_BEFORE.key());
        return v == null || Boolean.parseBoolean(v.trim());
    }

    private void requireKeyColumns(List<String> loaded) {
        for (String key : description.primaryKey()) {
            boolean present = false;
            for (String c : loaded) {
                present |= c.equalsIgnoreCase(key);
            }
            if (!present) {
                throw new ValidationException(
                        "INSERT INTO " + options.getDatabaseName() + "." + options.getTableName() + " (" + String.join(", ", loaded)
                                + ") is a partial update of a PRIMARY KEY table and must list its key columns "
                                + description.primaryKey());
            }
        }
    }

    /**
     * Positions of the INSERT's target columns ({@code Context#getTargetColumns}, Flink 1.18+,
     * read by reflection); all positions when there is no column list. An empty list counts as
     * "all columns" (FLINK-36000 returns it on 1.18 for an INSERT without a list).
     */
    private int[] targetColumns(Context context) {
        int[] all = new int[columns.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        try {
            Method m = context.getClass().getMethod("getTargetColumns");
            Object result = m.invoke(context);
            if (!(result instanceof Optional) || !((Optional<?>) result).isPresent()) {
                return all;
            }
            int[][] paths = (int[][]) ((Optional<?>) result).get();
            if (paths.length == 0) {
                return all;
            }
            int[] positions = new int[paths.length];
            for (int i = 0; i < paths.length; i++) {
                if (paths[i].length != 1) {
                    throw new ValidationException("nested target columns are not supported by the StarRocks sink");
                }
                positions[i] = paths[i][0];
            }
            return positions;
        } catch (NoSuchMethodException e) {
            return all;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the INSERT's target columns", e);
        }
    }

    @Override
    public DynamicTableSink copy() {
        return new StarRocksDynamicTableSink(flinkTable, options, columns, types, description, primaryKey, parallelism, zone);
    }

    @Override
    public String asSummaryString() {
        return "StarRocks";
    }
}
