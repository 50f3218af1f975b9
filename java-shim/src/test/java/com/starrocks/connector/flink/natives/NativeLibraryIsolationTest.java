package com.starrocks.connector.flink.natives;

import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.Options;
import com.starrocks.connector.flink.testing.RawFrames;
import com.starrocks.connector.flink.testing.TestPaths;

import org.junit.Test;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotSame;

/**
 * What a Flink session cluster does on job restarts: several class loaders in one JVM load the
 * connector jar. Each must get its own copy of the native library and work at the same time.
 */
public class NativeLibraryIsolationTest {

    @Test
    public void twoIsolatedClassLoadersEachLoadTheLibraryAndWriteRows() throws Exception {
        try (EmulatorProcess emulator = EmulatorProcess.start()) {
            emulator.createTable("db", "iso", "DUPLICATE", Collections.singletonList("id"), "id INT", "name VARCHAR(20)");
            Map<String, String> options = Options.required(emulator.feHttp(), "db", "iso");
            URL jar = TestPaths.connectorJar().toURI().toURL();
            List<URLClassLoader> loaders = new ArrayList<>();
            List<Object> writers = new ArrayList<>();
            Set<String> loadedFrom = new HashSet<>();
            Class<?> previous = null;
            for (int i = 0; i < 2; i++) {
                // Parent = bootstrap: nothing of the connector is shared with the test's loader.
                URLClassLoader loader = new URLClassLoader(new URL[] {jar}, null);
                loaders.add(loader);
                Class<?> writerClass = loader.loadClass(NativeSinkWriter.class.getName());
                if (previous != null) {
                    assertNotSame(previous, writerClass);
                }
                previous = writerClass;
                Object writer = writerClass.getMethod("create", Map.class, int.class).invoke(null, options, 1);
                writers.add(writer);
                int table = (Integer) writerClass
                        .getMethod("registerTable", String.class, String.class, String[].class, Map.class, boolean.class, int[].class, int[].class)
                        .invoke(writer, "db", "iso", null, Collections.emptyMap(), false, new int[0], null);
                ByteBuffer rows = RawFrames.of(table, (i * 10 + 1) + "\tfrom-loader-" + i, (i * 10 + 2) + "\tfrom-loader-" + i);
                writerClass.getMethod("write", ByteBuffer.class, int.class).invoke(writer, rows, rows.position());
                writerClass.getMethod("flush").invoke(writer);
                loadedFrom.add((String) loader.loadClass(NativeLibrary.class.getName()).getMethod("loadedFrom").invoke(null));
            }
            // Both writers are alive at once, each in its own copy of the library.
            assertEquals(2, loadedFrom.size());
            for (int i = 0; i < 2; i++) {
                Method close = writers.get(i).getClass().getMethod("close");
                close.invoke(writers.get(i));
                close.invoke(writers.get(i));
                loaders.get(i).close();
            }
            List<List<String>> rows = emulator.rows("db", "iso");
            assertEquals(4, rows.size());
            Set<String> names = new HashSet<>();
            for (List<String> r : rows) {
                names.add(r.get(1));
            }
            assertEquals(2, names.size());
            // The test's own class loader has a third copy.
            NativeBridge.engineVersion();
            loadedFrom.add(NativeLibrary.loadedFrom());
            assertEquals(3, loadedFrom.size());
        }
    }
}
