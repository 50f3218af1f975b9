package com.starrocks.connector.flink.sink;

import java.lang.reflect.Method;

/** Facts about the running job that differ in API between Flink versions, read by reflection. */
public final class FlinkContexts {
    private FlinkContexts() {}

    /**
     * The job id of a context, as hex: {@code getJobId()} (Sink.InitContext 1.18/1.19/1.20,
     * RuntimeContext 1.x) or {@code getJobInfo().getJobId()} (Flink 1.19+ and 2.x); null when the
     * context has neither.
     */
    public static String jobIdHex(Object context) {
        Object id = call(context, "getJobId");
        if (id == null) {
            id = call(call(context, "getJobInfo"), "getJobId");
        }
        Object hex = call(id, "toHexString");
        return hex instanceof String ? (String) hex : null;
    }

    private static Object call(Object target, String method) {
        if (target == null) {
            return null;
        }
        try {
            Method m = target.getClass().getMethod(method);
            return m.invoke(target);
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
