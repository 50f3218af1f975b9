package com.starrocks.connector.flink.sink;

import com.starrocks.connector.flink.table.sink.StarRocksDynamicSinkFunction;
import com.starrocks.connector.flink.table.sink.v2.StarRocksSink;
import com.starrocks.connector.flink.testing.Await;
import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.Options;
import com.starrocks.connector.flink.testing.SequenceJobs;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
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
import org.junit.Test;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;

/**
 * Without checkpoints, a few rows of a stream that then goes quiet still land within the flush
 * interval: nothing waits in a buffer for a checkpoint or for more rows.
 */
public class FlushIntervalTest {

    /** Emits ids 1..5, then stays idle until cancelled. */
    @SuppressWarnings("deprecation")
    private static final class FewRowsThenIdle
            implements org.apache.flink.streaming.api.functions.source.SourceFunction<RowData> {
        private static final long serialVersionUID = 1L;
        private volatile boolean running = true;

        @Override
        public void run(SourceContext<RowData> ctx) throws Exception {
            for (long id = 1; id <= 5; id++) {
                synchronized (ctx.getCheckpointLock()) {
                    ctx.collect(GenericRowData.of(id, StringData.fromString(SequenceJobs.payload(id))));
                }
            }
            while (running) {
                Thread.sleep(50);
            }
        }

        @Override
        public void cancel() {
            running = false;
        }
    }

    @Test
    @SuppressWarnings("deprecation")
    public void idleStreamsAreFlushedOnTheIntervalThroughBothApis() throws Exception {
        try (EmulatorProcess emulator = EmulatorProcess.start()) {
            for (boolean v2 : new boolean[] {false, true}) {
                String table = v2 ? "idle_v2" : "idle_v1";
                emulator.createTable("db", table, "DUPLICATE", Collections.singletonList("id"), SequenceJobs.STARROCKS_COLUMNS);
                Map<String, String> options =
                        Options.with(Options.required(emulator.feHttp(), "db", table), "sink.buffer-flush.interval-ms", "500");
                Configuration conf = new Configuration();
                conf.setString("rest.bind-port", "0");
                StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
                env.setParallelism(1);
                List<LogicalType> types = Arrays.<LogicalType>asList(new BigIntType(false), new VarCharType(64));
                RowType rowType = RowType.of(types.toArray(new LogicalType[0]), new String[] {"id", "payload"});
                DataStream<RowData> rows = env.addSource(new FewRowsThenIdle(), InternalTypeInfo.of(rowType));
                RowDataEncoder encoder = new RowDataEncoder("db", table, SequenceJobs.COLUMNS, types);
                if (v2) {
                    rows.sinkTo(new StarRocksSink<>(options, encoder));
                } else {
                    rows.addSink(new StarRocksDynamicSinkFunction<>(options, encoder));
                }
                JobClient job = env.executeAsync(table);
                try {
                    Await.until("5 rows in " + table, 30_000, () -> emulator.rows("db", table).size() >= 5);
                    assertEquals(table, 5, emulator.rows("db", table).size());
                } finally {
                    job.cancel().get();
                }
            }
        }
    }
}
