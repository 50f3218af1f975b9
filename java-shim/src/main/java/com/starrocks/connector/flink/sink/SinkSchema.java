package com.starrocks.connector.flink.sink;

import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.types.logical.LogicalType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The columns of a DataStream sink's schema: names, types and whether it has a primary key. */
public final class SinkSchema {
    public final List<String> names;
    public final List<LogicalType> types;
    public final boolean primaryKey;

    public SinkSchema(List<String> names, List<LogicalType> types, boolean primaryKey) {
        this.names = Collections.unmodifiableList(new ArrayList<>(names));
        this.types = Collections.unmodifiableList(new ArrayList<>(types));
        this.primaryKey = primaryKey;
    }

    /** The physical columns of {@code schema}. */
    public static SinkSchema of(ResolvedSchema schema) {
        List<String> names = new ArrayList<>();
        List<LogicalType> types = new ArrayList<>();
        for (Column c : schema.getColumns()) {
            if (c.isPhysical()) {
                names.add(c.getName());
                types.add(c.getDataType().getLogicalType());
            }
        }
        return new SinkSchema(names, types, schema.getPrimaryKey().isPresent());
    }
}
