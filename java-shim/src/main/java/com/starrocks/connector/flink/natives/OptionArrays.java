package com.starrocks.connector.flink.natives;

import java.util.Map;

/** Options as the two parallel arrays the native methods take. */
public final class OptionArrays {
    private OptionArrays() {}

    public static String[][] of(Map<String, String> options) {
        String[] keys = new String[options.size()];
        String[] values = new String[options.size()];
        int i = 0;
        for (Map.Entry<String, String> e : options.entrySet()) {
            keys[i] = e.getKey();
            values[i] = e.getValue();
            i++;
        }
        return new String[][] {keys, values};
    }
}
