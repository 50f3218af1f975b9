package com.starrocks.connector.flink.sink;

import com.starrocks.connector.flink.natives.NativeBridge;
import com.starrocks.connector.flink.natives.StarRocksException;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.metrics.MetricNames;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A writer's metrics in its Flink metric group: every engine metric under its own name (upstream's
 * names; counters, gauges named {@code current*}, and histograms with a window of {@code
 * sink.metric.histogram-window-size} samples), plus Flink's standard sink metrics.
 *
 * <p>All values come from the engine's metrics array (layout in {@code rust-core/src/metrics.rs}),
 * read by {@link #update(long[])} on the writer's hand-off timer and after every flush, never per
 * record: counters advance by what the engine's counters grew since the previous update, and
 * histograms get the samples that are new since then. Single-threaded like the writer; the values
 * Flink's reporters read are plain Flink metrics.
 */
public final class SinkMetrics {
    private static final String GAUGE_PREFIX = "current";
    /** Engine metrics behind Flink's standard sink metrics. */
    private static final String SENT_ROWS = "totalFlushRows";
    private static final String SENT_BYTES = "totalFlushSentBytes";
    private static final String FAILED_ROWS = "totalFlushFailedRows";
    private static final String SEND_TIME_NS = "flushTimeNs";

    private final List<String> scalarNames = Arrays.asList(NativeBridge.metricNames());
    private final List<String> histogramNames = Arrays.asList(NativeBridge.histogramNames());
    /** Latest engine value of each counter or gauge. */
    private final AtomicLongArray latest = new AtomicLongArray(scalarNames.size());
    private final List<CounterFeed> counters = new ArrayList<>();
    private final HistogramFeed[] histograms = new HistogramFeed[histogramNames.size()];
    private final int sendTime = index(histogramNames, SEND_TIME_NS);
    private volatile long currentSendTimeMs;

    private SinkMetrics(MetricGroup group, int window, Counter recordsSend, Counter bytesSend, Counter recordsSendErrors) {
        for (int i = 0; i < scalarNames.size(); i++) {
            String name = scalarNames.get(i);
            if (name.startsWith(GAUGE_PREFIX)) {
                int at = i;
                Gauge<Long> gauge = () -> latest.get(at);
                group.gauge(name, gauge);
            } else {
                counters.add(new CounterFeed(i, group.counter(name)));
            }
        }
        counters.add(new CounterFeed(index(scalarNames, SENT_ROWS), recordsSend));
        counters.add(new CounterFeed(index(scalarNames, SENT_BYTES), bytesSend));
        counters.add(new CounterFeed(index(scalarNames, FAILED_ROWS), recordsSendErrors));
        for (int i = 0; i < histograms.length; i++) {
            histograms[i] = new HistogramFeed(group.histogram(histogramNames.get(i), new DescriptiveStatisticsHistogram(window)));
        }
    }

    /** Metrics of a Sink V2 writer; Flink's standard sink metrics are those of its group. */
    public static SinkMetrics forSinkWriter(SinkWriterMetricGroup group, Map<String, String> options) {
        SinkMetrics metrics =
                new SinkMetrics(
                        group,
                        histogramWindow(options),
                        group.getNumRecordsSendCounter(),
                        group.getNumBytesSendCounter(),
                        group.getNumRecordsSendErrorsCounter());
        group.setCurrentSendTimeGauge(metrics::currentSendTimeMs);
        return metrics;
    }

    /** Metrics of a SinkFunction: Flink's standard sink metrics are registered by their names. */
    public static SinkMetrics forOperator(MetricGroup group, Map<String, String> options) {
        SinkMetrics metrics =
                new SinkMetrics(
                        group,
                        histogramWindow(options),
                        group.counter(MetricNames.NUM_RECORDS_SEND),
                        group.counter(MetricNames.NUM_BYTES_SEND),
                        group.counter(MetricNames.NUM_RECORDS_SEND_ERRORS));
        Gauge<Long> sendTime = metrics::currentSendTimeMs;
        group.gauge(MetricNames.CURRENT_SEND_TIME, sendTime);
        return metrics;
    }

    /** Takes in an engine metrics array. */
    public void update(long[] values) {
        long[] growth = new long[scalarNames.size()];
        for (int i = 0; i < growth.length; i++) {
            growth[i] = values[i] - latest.getAndSet(i, values[i]);
        }
        for (CounterFeed c : counters) {
            if (growth[c.index] > 0) {
                c.counter.inc(growth[c.index]);
            }
        }
        int offset = scalarNames.size();
        for (HistogramFeed h : histograms) {
            offset = h.take(values, offset);
        }
        long newestSendTimeNs = histograms[sendTime].newest;
        if (newestSendTimeNs >= 0) {
            currentSendTimeMs = newestSendTimeNs / 1_000_000L;
        }
    }

    /** Flink's {@code currentSendTime}: how long the last successful load request took, in ms. */
    private long currentSendTimeMs() {
        return currentSendTimeMs;
    }

    static int histogramWindow(Map<String, String> options) {
        String key = StarRocksSinkOptions.SINK_METRIC_HISTOGRAM_WINDOW_SIZE.key();
        String raw = options.get(key);
        if (raw == null) {
            return StarRocksSinkOptions.SINK_METRIC_HISTOGRAM_WINDOW_SIZE.defaultValue();
        }
        try {
            int window = Integer.parseInt(raw.trim());
            if (window > 0) {
                return window;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StarRocksException(
                StarRocksException.Kind.CONFIG, "'" + key + "' must be a positive integer, not '" + raw + "'");
    }

    private static int index(List<String> names, String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalStateException("the native library has no metric " + name + "; jar and library do not belong together");
        }
        return i;
    }

    /** A Flink counter that follows one engine counter. */
    private static final class CounterFeed {
        final int index;
        final Counter counter;

        CounterFeed(int index, Counter counter) {
            this.index = index;
            this.counter = counter;
        }
    }

    /** A Flink histogram that gets the new samples of one engine histogram. */
    private static final class HistogramFeed {
        private final Histogram histogram;
        private long seen;
        /** The most recent sample, or -1 when there is none yet. */
        long newest = -1;

        HistogramFeed(Histogram histogram) {
            this.histogram = histogram;
        }

        /**
         * Reads one histogram at {@code offset} (recorded count, kept count, kept samples oldest
         * first), updates the Flink histogram with the samples not seen before; returns the offset
         * of the next histogram.
         */
        int take(long[] values, int offset) {
            long recorded = values[offset];
            int kept = (int) values[offset + 1];
            int start = offset + 2;
            int fresh = (int) Math.min(recorded - seen, kept);
            for (int i = start + kept - fresh; i < start + kept; i++) {
                histogram.update(values[i]);
            }
            if (kept > 0) {
                newest = values[start + kept - 1];
            }
            seen = recorded;
            return start + kept;
        }
    }
}
