package com.starrocks.connector.flink.catalog;

import org.apache.flink.table.api.Schema;
import org.apache.flink.table.catalog.CatalogTable;

import java.util.Map;

/** Builds a {@link CatalogTable} with the API of Flink 2.x (no {@code CatalogTable.of}). */
final class CatalogTables {
    private CatalogTables() {}

    static CatalogTable of(Schema schema, String comment, Map<String, String> options) {
        return CatalogTable.newBuilder().schema(schema).comment(comment).options(options).build();
    }
}
