package com.starrocks.connector.flink.packaging;

import com.starrocks.connector.flink.natives.NativeLibrary;
import com.starrocks.connector.flink.testing.TestPaths;

import org.junit.Test;

import java.io.File;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

/** The jar is named by convention, carries the native library, and no foreign classes. */
public class JarContentsTest {

    @Test
    public void theJarHoldsOnlyConnectorClassesAndTheNativeLibrary() throws Exception {
        File jar = TestPaths.connectorJar();
        assertTrue(jar.getName(), jar.getName().matches("flink-connector-starrocks-[0-9.]+_flink-1\\.18\\.jar"));
        int classes = 0;
        try (JarFile jf = new JarFile(jar)) {
            JarEntry lib = jf.getJarEntry(NativeLibrary.resourcePath());
            assertNotNull("missing " + NativeLibrary.resourcePath(), lib);
            assertEquals("native/linux-x86_64/libstarrocks_flink.so", NativeLibrary.resourcePath());
            assertTrue(lib.getSize() > 1_000_000);
            for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (name.endsWith(".class")) {
                    classes++;
                    // The connector's own packages, plus the one public SDK class users configure
                    // per-table properties with (com.starrocks.data.load.stream.properties).
                    assertTrue("foreign class in the jar: " + name,
                            name.startsWith("com/starrocks/connector/flink/")
                                    || name.startsWith("com/starrocks/data/load/stream/properties/"));
                }
            }
            assertNotNull(jf.getJarEntry("META-INF/services/org.apache.flink.table.factories.Factory"));
        }
        assertTrue(classes > 10);
    }
}
