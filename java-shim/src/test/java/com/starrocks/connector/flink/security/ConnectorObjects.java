package com.starrocks.connector.flink.security;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code toString()} of every connector object reachable from some roots: the roots' fields,
 * their fields, and so on, through collections, maps and arrays, but only into objects of the
 * connector's packages ({@code com.starrocks}). So a field added later whose class prints the
 * options is covered without naming it here.
 */
final class ConnectorObjects {
    private static final int MAX_OBJECTS = 10_000;

    private ConnectorObjects() {}

    /** One line per connector object: its class and its {@code toString()}. */
    static List<String> describe(Object... roots) throws IllegalAccessException {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<Object, Boolean>());
        Deque<Object> queue = new LinkedList<>(); // takes null fields
        for (Object root : roots) {
            queue.add(root);
        }
        List<String> lines = new ArrayList<>();
        while (!queue.isEmpty() && seen.size() < MAX_OBJECTS) {
            Object o = queue.poll();
            if (o == null || !seen.add(o)) {
                continue;
            }
            if (o instanceof Collection) {
                queue.addAll((Collection<?>) o);
            } else if (o instanceof Map) {
                queue.addAll(((Map<?, ?>) o).keySet());
                queue.addAll(((Map<?, ?>) o).values());
            } else if (o instanceof Object[]) {
                Collections.addAll(queue, (Object[]) o);
            } else if (o.getClass().getName().startsWith("com.starrocks.")) {
                lines.add(o.getClass().getName() + ": " + o);
                for (Class<?> c = o.getClass(); c != null && c.getName().startsWith("com.starrocks."); c = c.getSuperclass()) {
                    for (Field f : c.getDeclaredFields()) {
                        if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                            f.setAccessible(true);
                            queue.add(f.get(o));
                        }
                    }
                }
            }
        }
        return lines;
    }
}
