package com.starrocks.connector.flink.catalog;

import org.apache.flink.table.api.Schema;
import org.apache.flink.table.catalog.CatalogTable;

import java.util.Collections;
import java.util.Map;

/** Builds a {@link CatalogTable} with the API of Flink 1.x (1.15 has no builder). */
final class CatalogTables {
    private CatalogTables() {}

    @SuppressWarnings("deprecation") // CatalogTable.of is deprecated from Flink 1.20 and gone in 2.x
    static CatalogTable of(Schema schema, String comment, Map<String, String> options) {
        return CatalogTable.of(schema, comment, Collections.<String>emptyList(), options);
    }
}
