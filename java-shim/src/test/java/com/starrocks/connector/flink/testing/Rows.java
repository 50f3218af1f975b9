package com.starrocks.connector.flink.testing;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

/** Comparing rows read back from the emulator with the values a test expects. */
public final class Rows {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Rows() {}

    /** A DATETIME as StarRocks shows it: seconds, then microseconds when there are any. */
    public static String datetime(LocalDateTime t) {
        String s = t.format(SECONDS);
        int micros = t.getNano() / 1000;
        return micros == 0 ? s : s + String.format(".%06d", micros);
    }

    /**
     * Compares row {@code id} column by column: null, Float and Double (parsed, exactly) or text.
     *
     * @param columns names of the columns, for messages
     */
    public static void assertRow(long id, String[] columns, List<Object> want, List<String> got) {
        assertEquals("columns of row " + id, want.size(), got.size());
        for (int c = 0; c < want.size(); c++) {
            String where = "row " + id + ", " + columns[c];
            Object w = want.get(c);
            String g = got.get(c);
            if (w == null) {
                assertNull(where, g);
            } else if (w instanceof Float) {
                assertNotNull(where, g);
                assertEquals(where, (Float) w, Float.parseFloat(g), 0f);
            } else if (w instanceof Double) {
                assertNotNull(where, g);
                assertEquals(where, (Double) w, Double.parseDouble(g), 0d);
            } else {
                assertEquals(where, w, g);
            }
        }
    }
}
