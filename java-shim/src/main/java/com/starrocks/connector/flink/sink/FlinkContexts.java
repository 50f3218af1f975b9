package com.starrocks.connector.flink.sink;

import java.lang.reflect.Method;

/** Facts about the running job that differ in API between Flink versions, read by reflection. */
public final class FlinkContexts {
    private FlinkContexts() {}

    /**
     * The job id of a context that has {@code getJobId()} (Sink.InitContext 1.18+, RuntimeContext),
     * as hex; null when unavailable.
     */
    public static String jobIdHex(Object context) {
        try {
            Method m = context.getClass().getMethod("getJobId");
            Object id = m.invoke(context);
            if (id == null) {
                return null;
            }
            Method hex = id.getClass().getMethod("toHexString");
            return (String) hex.invoke(id);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The exactly-once label prefix used when {@code sink.label-prefix} is not set. */
    public static String fallbackLabelPrefix(Object context) {
        String job = jobIdHex(context);
        return job == null ? "flink" : "flink-" + job;
    }
}
