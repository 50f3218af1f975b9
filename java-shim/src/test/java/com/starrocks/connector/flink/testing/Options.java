package com.starrocks.connector.flink.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/** Option maps for tests. */
public final class Options {
    private Options() {}

    /** The required options pointing at {@code loadUrl}, table {@code db.table}, user root. */
    public static Map<String, String> required(String loadUrl, String db, String table) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("jdbc-url", "jdbc:mysql://127.0.0.1:9030");
        m.put("load-url", loadUrl);
        m.put("database-name", db);
        m.put("table-name", table);
        m.put("username", "root");
        m.put("password", "");
        return m;
    }

    public static Map<String, String> with(Map<String, String> base, String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
