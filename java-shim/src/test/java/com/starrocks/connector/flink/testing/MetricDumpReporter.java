package com.starrocks.connector.flink.testing;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Properties;

/**
 * A Flink metric reporter that logs every metric with its scope variables when it is registered and
 * again, with its last value, when it is removed (a task ends, also by failure). Configured with
 * {@code metrics.reporter.<name>.factory.class} = {@link Factory}, found by Flink through a
 * {@code META-INF/services/org.apache.flink.metrics.reporter.MetricReporterFactory} entry on the
 * class path.
 */
public final class MetricDumpReporter implements MetricReporter {
    private static final Logger LOG = LoggerFactory.getLogger(MetricDumpReporter.class);

    /** Creates the reporter. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new MetricDumpReporter();
        }
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        LOG.info("metric added {} {}: {}", group.getMetricIdentifier(name), group.getAllVariables(), value(metric));
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        LOG.info("metric removed {}: {}", group.getMetricIdentifier(name), value(metric));
    }

    private static String value(Metric metric) {
        try {
            if (metric instanceof Gauge) {
                return String.valueOf(((Gauge<?>) metric).getValue());
            }
            if (metric instanceof Counter) {
                return String.valueOf(((Counter) metric).getCount());
            }
            if (metric instanceof Meter) {
                Meter m = (Meter) metric;
                return m.getCount() + " events, " + m.getRate() + "/s";
            }
            if (metric instanceof Histogram) {
                HistogramStatistics s = ((Histogram) metric).getStatistics();
                return "count " + ((Histogram) metric).getCount() + ", min " + s.getMin() + ", max " + s.getMax()
                        + ", mean " + s.getMean();
            }
            return metric.getClass().getName();
        } catch (RuntimeException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
