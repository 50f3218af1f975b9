package com.starrocks.connector.flink.table;

import com.starrocks.connector.flink.natives.NativeBridge;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;
import com.starrocks.connector.flink.testing.TestPaths;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;
import org.junit.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * One set of options everywhere: the Java ConfigOptions (SQL factory, docs), the engine's option
 * registry, and the README table must agree on keys and defaults.
 */
public class OptionsConsistencyTest {

    private static List<ConfigOption<?>> javaOptions() {
        List<ConfigOption<?>> all = new ArrayList<>(StarRocksSinkOptions.requiredOptions());
        all.addAll(StarRocksSinkOptions.optionalOptions());
        return all;
    }

    private static String defaultText(ConfigOption<?> o) {
        return o.hasDefaultValue() ? String.valueOf(o.defaultValue()) : null;
    }

    /** Engine option specs: key -> {default, support, note}. */
    private static Map<String, String[]> engineSpecs() {
        String[] flat = NativeBridge.optionSpecs();
        Map<String, String[]> m = new LinkedHashMap<>();
        for (int i = 0; i < flat.length; i += 4) {
            m.put(flat[i], new String[] {flat[i + 1], flat[i + 2], flat[i + 3]});
        }
        return m;
    }

    @Test
    public void javaAndEngineKnowTheSameKeysAndDefaults() {
        Map<String, String[]> engine = engineSpecs();
        for (ConfigOption<?> o : javaOptions()) {
            String[] spec = engine.get(o.key());
            assertTrue("the engine does not know " + o.key(), spec != null);
            assertEquals("default of " + o.key(), defaultText(o), spec[0]);
        }
        assertEquals(engine.keySet().size(), javaOptions().size());
    }

    /** The README option table, as the code defines it. */
    static String expectedReadmeTable() {
        Map<String, String[]> engine = engineSpecs();
        StringBuilder sb = new StringBuilder();
        sb.append("| Option | Required | Default | Status | Description |\n");
        sb.append("|---|---|---|---|---|\n");
        List<ConfigOption<?>> required = StarRocksSinkOptions.requiredOptions();
        for (ConfigOption<?> o : javaOptions()) {
            String[] spec = engine.get(o.key());
            String status;
            switch (spec[1]) {
                case "NOT_YET":
                    status = "not supported yet";
                    break;
                case "PARTIAL":
                    status = "partly: " + spec[2];
                    break;
                default:
                    status = "supported";
            }
            String def = defaultText(o);
            sb.append("| `").append(o.key()).append("` | ")
                    .append(required.contains(o) ? "yes" : "no").append(" | ")
                    .append(def == null ? "" : "`" + def + "`").append(" | ")
                    .append(status).append(" | ")
                    .append(description(o).replace("|", "\\|").replace("\n", " "))
                    .append(" |\n");
        }
        return sb.toString();
    }

    private static String description(ConfigOption<?> o) {
        StringBuilder sb = new StringBuilder();
        for (BlockElement block : o.description().getBlocks()) {
            if (block instanceof TextElement) {
                sb.append(((TextElement) block).getFormat());
            }
        }
        return sb.toString();
    }

    @Test
    public void theReadmeOptionTableMatchesTheCode() throws Exception {
        String readme = new String(Files.readAllBytes(new File(TestPaths.repo(), "README.md").toPath()), StandardCharsets.UTF_8);
        String begin = "<!-- options-table:begin -->\n";
        String end = "<!-- options-table:end -->";
        int b = readme.indexOf(begin);
        int e = readme.indexOf(end);
        assertTrue("README has no options table markers", b >= 0 && e > b);
        String actual = readme.substring(b + begin.length(), e);
        String expected = expectedReadmeTable();
        if (!expected.equals(actual)) {
            File out = new File(TestPaths.repo(), "build/options-table.md");
            Files.write(out.toPath(), expected.getBytes(StandardCharsets.UTF_8));
            assertEquals("README option table is out of date; the expected table is in " + out, expected, actual);
        }
    }

    @Test
    public void deprecatedKeysAreRenamedForTheEngine() {
        Map<String, String> raw = new HashMap<>();
        raw.put("connector", "starrocks");
        raw.put("sink.abort.lingering-txns", "false");
        Map<String, String> canonical = StarRocksSinkOptions.canonicalize(raw);
        assertEquals("false", canonical.get("sink.exactly-once.enable-abort-lingering-txn"));
        assertEquals(1, canonical.size());
    }
}
