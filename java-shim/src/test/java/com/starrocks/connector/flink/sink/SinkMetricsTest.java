package com.starrocks.connector.flink.sink;

import com.starrocks.connector.flink.natives.NativeBridge;
import com.starrocks.connector.flink.natives.StarRocksException;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/** How engine metrics arrays become Flink metrics (without a cluster; layout as the engine's). */
public class SinkMetricsTest {
    private static final List<String> SCALARS = Arrays.asList(NativeBridge.metricNames());
    private static final List<String> HISTOGRAMS = Arrays.asList(NativeBridge.histogramNames());

    /** A metric group that keeps what is registered in it. */
    private static final class Group extends UnregisteredMetricsGroup {
        final Map<String, Metric> metrics = new HashMap<>();

        @Override
        public Counter counter(String name) {
            return counter(name, new SimpleCounter());
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            metrics.put(name, counter);
            return counter;
        }

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            metrics.put(name, gauge);
            return gauge;
        }

        @Override
        public <H extends Histogram> H histogram(String name, H histogram) {
            metrics.put(name, histogram);
            return histogram;
        }

        long count(String name) {
            return ((Counter) metrics.get(name)).getCount();
        }

        Object gaugeValue(String name) {
            return ((Gauge<?>) metrics.get(name)).getValue();
        }

        Histogram histogram(String name) {
            return (Histogram) metrics.get(name);
        }
    }

    /** Builds an engine metrics array: scalar values by name, histogram (recorded, samples). */
    private static final class Snapshot {
        final long[] scalars = new long[SCALARS.size()];
        final Map<String, long[]> histograms = new HashMap<>();
        final Map<String, Long> recorded = new HashMap<>();

        Snapshot set(String name, long value) {
            int i = SCALARS.indexOf(name);
            assertTrue("no engine metric " + name, i >= 0);
            scalars[i] = value;
            return this;
        }

        Snapshot samples(String name, long recordedInAll, long... kept) {
            assertTrue("no engine histogram " + name, HISTOGRAMS.contains(name));
            histograms.put(name, kept);
            recorded.put(name, recordedInAll);
            return this;
        }

        long[] array() {
            List<Long> out = new ArrayList<>();
            for (long v : scalars) {
                out.add(v);
            }
            for (String h : HISTOGRAMS) {
                long[] kept = histograms.containsKey(h) ? histograms.get(h) : new long[0];
                out.add(recorded.containsKey(h) ? recorded.get(h) : 0L);
                out.add((long) kept.length);
                for (long v : kept) {
                    out.add(v);
                }
            }
            long[] a = new long[out.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = out.get(i);
            }
            return a;
        }
    }

    /** The values in the histogram's window, sorted. */
    private static long[] values(Histogram h) {
        long[] v = h.getStatistics().getValues();
        Arrays.sort(v);
        return v;
    }

    @Test
    public void everyEngineMetricIsRegisteredUnderItsName() {
        Group group = new Group();
        SinkMetrics.forOperator(group, Collections.<String, String>emptyMap());
        for (String name : SCALARS) {
            Metric m = group.metrics.get(name);
            assertTrue(name, name.startsWith("current") ? m instanceof Gauge : m instanceof Counter);
        }
        for (String name : HISTOGRAMS) {
            assertTrue(name, group.metrics.get(name) instanceof Histogram);
        }
        for (String name : new String[] {"numRecordsSend", "numBytesSend", "numRecordsSendErrors", "currentSendTime"}) {
            assertTrue(name, group.metrics.containsKey(name));
        }
        for (String upstream : new String[] {
            "totalFlushBytes", "totalFlushRows", "totalFlushTimeNs", "totalFlushTimeNsWithoutRetries",
            "totalFlushSucceededTimes", "totalFlushFailedTimes", "totalFlushRetry", "totalFilteredRows",
            "totalInvokeRows", "totalInvokeRowsTimeNs", "currentBufferBytes", "flushTimeNs", "flushTimeNsWithRetry", "flushRetry", "offerTimeNs",
            "loadTimeMs", "streamLoadPutTimeMs", "readDataTimeMs", "writeDataTimeMs", "commitAndPublishTimeMs"
        }) {
            assertTrue(upstream, group.metrics.containsKey(upstream));
        }
    }

    @Test
    public void countersFollowTheEngineAndFeedFlinksSinkMetrics() {
        Group group = new Group();
        SinkMetrics metrics = SinkMetrics.forOperator(group, Collections.<String, String>emptyMap());
        metrics.update(new Snapshot().set("totalFlushRows", 10).set("totalFlushSentBytes", 100)
                .set("totalFlushSucceededTimes", 1).set("currentBufferBytes", 4096).array());
        metrics.update(new Snapshot().set("totalFlushRows", 25).set("totalFlushSentBytes", 260)
                .set("totalFlushSucceededTimes", 3).set("totalFlushFailedRows", 2)
                .set("currentBufferBytes", 512).array());
        assertEquals(25, group.count("totalFlushRows"));
        assertEquals(3, group.count("totalFlushSucceededTimes"));
        assertEquals(25, group.count("numRecordsSend"));
        assertEquals(260, group.count("numBytesSend"));
        assertEquals(2, group.count("numRecordsSendErrors"));
        assertEquals(512L, group.gaugeValue("currentBufferBytes"));
    }

    @Test
    public void histogramsGetEachEngineSampleOnce() {
        Group group = new Group();
        SinkMetrics metrics =
                SinkMetrics.forOperator(group, Collections.singletonMap("sink.metric.histogram-window-size", "4"));
        metrics.update(new Snapshot().samples("loadTimeMs", 2, 5, 7).samples("flushTimeNs", 1, 3_000_000).array());
        metrics.update(new Snapshot().samples("loadTimeMs", 3, 5, 7, 9).samples("flushTimeNs", 1, 3_000_000).array());
        Histogram load = group.histogram("loadTimeMs");
        assertEquals(3, load.getCount());
        assertArrayEquals(new long[] {5, 7, 9}, values(load));
        assertEquals(1, group.histogram("flushTimeNs").getCount());
        assertEquals(3L, group.gaugeValue("currentSendTime"));
        // More new samples than the engine kept: only the kept ones can be fed; the window is 4.
        metrics.update(new Snapshot().samples("loadTimeMs", 10, 20, 21, 22).array());
        assertEquals(6, load.getCount());
        assertArrayEquals(new long[] {9, 20, 21, 22}, values(load));
    }

    @Test
    public void theHistogramWindowMustBeAPositiveInteger() {
        for (String bad : new String[] {"0", "-3", "many"}) {
            try {
                SinkMetrics.forOperator(new Group(), Collections.singletonMap("sink.metric.histogram-window-size", bad));
                fail(bad);
            } catch (StarRocksException e) {
                assertEquals(StarRocksException.Kind.CONFIG, e.kind());
                assertTrue(e.getMessage(), e.getMessage().contains("sink.metric.histogram-window-size"));
            }
        }
    }
}
