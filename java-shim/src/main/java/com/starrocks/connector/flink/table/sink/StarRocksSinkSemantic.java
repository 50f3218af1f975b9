package com.starrocks.connector.flink.table.sink;

/** The delivery guarantee of a sink, as {@code sink.semantic} names it. */
public enum StarRocksSinkSemantic {
    EXACTLY_ONCE("exactly-once"),
    AT_LEAST_ONCE("at-least-once");

    private final String name;

    StarRocksSinkSemantic(String name) {
        this.name = name;
    }

    /** The option value, e.g. {@code at-least-once}. */
    public String getName() {
        return name;
    }

    /** The semantic of an option value (case-insensitive, trimmed), or null when there is none. */
    public static StarRocksSinkSemantic fromName(String name) {
        if (name == null) {
            return null;
        }
        for (StarRocksSinkSemantic s : values()) {
            if (s.name.equalsIgnoreCase(name.trim())) {
                return s;
            }
        }
        return null;
    }
}
