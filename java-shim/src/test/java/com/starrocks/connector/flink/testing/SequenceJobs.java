package com.starrocks.connector.flink.testing;

import com.starrocks.connector.flink.sink.RowDataEncoder;
import com.starrocks.connector.flink.table.sink.StarRocksDynamicSinkFunction;
import com.starrocks.connector.flink.table.sink.v2.StarRocksSink;

import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.restartstrategy.RestartStrategies;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * DataStream jobs for delivery tests: ids 1..n from a checkpointed sequence source, optionally
 * throttled, with failures injected at chosen ids (once each per JVM), into a StarRocks table
 * {@code (id BIGINT, payload VARCHAR(64))} through either sink API.
 */
public final class SequenceJobs {
    private SequenceJobs() {}

    /** Which Flink sink API the job uses. */
    public enum Api {
        SINK_FUNCTION,
        SINK_V2
    }

    public static final List<String> COLUMNS = Arrays.asList("id", "payload");
    public static final String[] STARROCKS_COLUMNS = {"id BIGINT NOT NULL", "payload VARCHAR(64)"};

    /** Ids at which a failure was injected, per job key: each id fails once. */
    private static final Map<String, Set<Long>> FAILED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();

    public static int failuresInjected(String key) {
        AtomicInteger n = FAILURES.get(key);
        return n == null ? 0 : n.get();
    }

    public static String payload(long id) {
        return "payload-" + id;
    }

    /** A local environment; {@code checkpointMs <= 0} leaves checkpointing disabled. */
    public static StreamExecutionEnvironment environment(int parallelism, long checkpointMs, Configuration extra) {
        Configuration conf = new Configuration();
        conf.setString("rest.bind-port", "0");
        conf.addAll(extra);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        if (checkpointMs > 0) {
            env.enableCheckpointing(checkpointMs);
            env.getCheckpointConfig().setMinPauseBetweenCheckpoints(0);
        }
        env.setRestartStrategy(RestartStrategies.fixedDelayRestart(1000, 100));
        return env;
    }

    /**
     * Adds source, mapper and sink to {@code env}.
     *
     * @param key names the job for failure bookkeeping
     * @param pauseEveryRows the mapper sleeps 1 ms every this many rows (0: never)
     * @param failAt ids at which the mapper throws once
     */
    public static void build(
            StreamExecutionEnvironment env,
            String key,
            long n,
            int pauseEveryRows,
            Collection<Long> failAt,
            Api api,
            Map<String, String> options) {
        FAILED.putIfAbsent(key, ConcurrentHashMap.newKeySet());
        FAILURES.putIfAbsent(key, new AtomicInteger());
        List<LogicalType> types = Arrays.<LogicalType>asList(new BigIntType(false), new VarCharType(64));
        RowType rowType = RowType.of(types.toArray(new LogicalType[0]), COLUMNS.toArray(new String[0]));
        DataStream<RowData> rows =
                env.fromSequence(1, n)
                        .uid("source")
                        .map(new Mapper(key, pauseEveryRows, new ArrayList<>(failAt)))
                        .uid("mapper")
                        .returns(InternalTypeInfo.of(rowType));
        RowDataEncoder encoder =
                new RowDataEncoder(options.get("database-name"), options.get("table-name"), COLUMNS, types);
        if (api == Api.SINK_V2) {
            rows.sinkTo(new StarRocksSink<>(options, encoder)).uid("sink");
        } else {
            rows.addSink(new StarRocksDynamicSinkFunction<>(options, encoder)).uid("sink");
        }
    }

    private static final class Mapper extends RichMapFunction<Long, RowData> {
        private static final long serialVersionUID = 1L;
        private final String key;
        private final int pauseEveryRows;
        private final List<Long> failAt;
        private transient long seen;

        Mapper(String key, int pauseEveryRows, List<Long> failAt) {
            this.key = key;
            this.pauseEveryRows = pauseEveryRows;
            this.failAt = failAt;
        }

        @Override
        public RowData map(Long id) throws Exception {
            if (failAt.contains(id) && FAILED.get(key).add(id)) {
                FAILURES.get(key).incrementAndGet();
                throw new RuntimeException("injected failure at id " + id);
            }
            if (pauseEveryRows > 0 && ++seen % pauseEveryRows == 0) {
                Thread.sleep(1);
            }
            return GenericRowData.of(id, StringData.fromString(payload(id)));
        }
    }

    /** Asserts that the table holds ids 1..n exactly once each, with their payloads. */
    public static void assertExactlyOnce(List<List<String>> rows, long n) {
        long[] count = new long[(int) n + 1];
        for (List<String> r : rows) {
            long id = Long.parseLong(r.get(0));
            if (id < 1 || id > n) {
                throw new AssertionError("unexpected id " + id);
            }
            if (!payload(id).equals(r.get(1))) {
                throw new AssertionError("row " + id + " has payload " + r.get(1));
            }
            count[(int) id]++;
        }
        List<Long> missing = new ArrayList<>();
        List<Long> duplicated = new ArrayList<>();
        for (int id = 1; id <= n; id++) {
            if (count[id] == 0 && missing.size() < 10) {
                missing.add((long) id);
            }
            if (count[id] > 1 && duplicated.size() < 10) {
                duplicated.add((long) id);
            }
        }
        if (!missing.isEmpty() || !duplicated.isEmpty() || rows.size() != n) {
            throw new AssertionError(
                    rows.size() + " rows for " + n + " ids; first missing " + missing
                            + ", first duplicated " + duplicated);
        }
    }

    /** Asserts that every id 1..n is present at least once. */
    public static void assertNothingMissing(List<List<String>> rows, long n) {
        Set<Long> ids = ConcurrentHashMap.newKeySet();
        for (List<String> r : rows) {
            ids.add(Long.parseLong(r.get(0)));
        }
        List<Long> missing = new ArrayList<>();
        for (long id = 1; id <= n && missing.size() < 10; id++) {
            if (!ids.contains(id)) {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("missing ids, first: " + missing);
        }
    }

    public static List<Long> none() {
        return Collections.emptyList();
    }
}
