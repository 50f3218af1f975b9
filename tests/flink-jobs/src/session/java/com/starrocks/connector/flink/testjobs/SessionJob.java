package com.starrocks.connector.flink.testjobs;

import com.starrocks.connector.flink.StarRocksSink;
import com.starrocks.connector.flink.sink.RawRecordEncoder;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A job for session-cluster tests, submitted as a job jar: an endless sequence, about 20,000 rows
 * a second, as CSV lines {@code id\tpayload-id} into the StarRocks sink, until it is cancelled or,
 * with {@code --fail-after N}, until its map function throws at row N (no restarts).
 *
 * <p>Arguments: {@code --api v1|v2} (SinkFunction or Sink V2), {@code --checkpoint-ms N} (0: none),
 * {@code --fail-after N} (0: never), then the sink's options as {@code key=value}.
 */
public final class SessionJob {
    private SessionJob() {}

    public static void main(String[] args) throws Exception {
        String api = "v1";
        long checkpointMs = 0;
        long failAfter = 0;
        StarRocksSinkOptions.Builder options = StarRocksSinkOptions.builder();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--api":
                    api = args[++i];
                    break;
                case "--checkpoint-ms":
                    checkpointMs = Long.parseLong(args[++i]);
                    break;
                case "--fail-after":
                    failAfter = Long.parseLong(args[++i]);
                    break;
                default:
                    int eq = args[i].indexOf('=');
                    if (eq < 0) {
                        throw new IllegalArgumentException("not an option (key=value): " + args[i]);
                    }
                    options.withProperty(args[i].substring(0, eq), args[i].substring(eq + 1));
            }
        }
        Configuration conf = new Configuration();
        conf.setString("restart-strategy.type", "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (checkpointMs > 0) {
            env.enableCheckpointing(checkpointMs);
        }
        DataStream<String> rows = env.fromSequence(1, Long.MAX_VALUE).map(new Lines(failAfter));
        StarRocksSinkOptions sinkOptions = options.build();
        if (api.equals("v2")) {
            rows.sinkTo(
                    new com.starrocks.connector.flink.table.sink.v2.StarRocksSink<>(
                            sinkOptions.asMap(), RawRecordEncoder.<String>forSink(sinkOptions)));
        } else if (api.equals("v1")) {
            rows.addSink(StarRocksSink.sink(sinkOptions));
        } else {
            throw new IllegalArgumentException("--api must be v1 or v2, not " + api);
        }
        env.execute("session-job " + api + (failAfter > 0 ? " failing" : ""));
    }

    /** A row per id, a 1 ms pause every 20 rows; throws once at row {@code failAfter}. */
    private static final class Lines implements MapFunction<Long, String> {
        private static final long serialVersionUID = 1L;
        private final long failAfter;
        private long seen;

        Lines(long failAfter) {
            this.failAfter = failAfter;
        }

        @Override
        public String map(Long id) throws Exception {
            seen++;
            if (failAfter > 0 && seen == failAfter) {
                throw new IllegalStateException("SessionJob fails on purpose at row " + seen);
            }
            if (seen % 20 == 0) {
                Thread.sleep(1);
            }
            return id + "\tpayload-" + id;
        }
    }
}
