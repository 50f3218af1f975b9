package com.starrocks.connector.flink.sink;

import com.starrocks.connector.flink.table.sink.v2.StarRocksSink;
import com.starrocks.connector.flink.testing.EmulatorProcess;
import com.starrocks.connector.flink.testing.Options;
import com.starrocks.connector.flink.testing.SequenceJobs;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

/**
 * A StarRocks that loads slowly (every load waits {@value #DELAY_MS} ms before it takes the body)
 * throttles the source through the sink's blocking {@code write}: the rows the source has emitted
 * but StarRocks has not loaded yet, sampled while the job runs, stay below what the sink may hold
 * (the engine twice {@code sink.buffer-flush.max-bytes} plus one hand-off, the Java frame buffer
 * one more), far below the job's rows; so the job takes as long as the loads.
 */
public class SlowStarRocksTest {
    private static final long DELAY_MS = 300;
    private static final long MAX_BYTES = 1 << 20;
    private static final long ROWS = 600_000;
    /** Ids with six digits, so every row has the same size. */
    private static final long FIRST_ID = 100_000;
    /** A row as CSV: 6-digit id, tab, "payload-" and the id, newline. */
    private static final long CSV_ROW_BYTES = 6 + 1 + 14 + 1;
    /** A row as a frame: kind, table id, field count, BIGINT (tag, 8 bytes), STRING (tag, length, 14 bytes). */
    private static final long FRAME_ROW_BYTES = 1 + 4 + 2 + 9 + 5 + 14;

    private static final AtomicLong EMITTED = new AtomicLong();

    private static final class Counting implements MapFunction<Long, RowData> {
        private static final long serialVersionUID = 1L;

        @Override
        public RowData map(Long id) {
            EMITTED.incrementAndGet();
            return GenericRowData.of(id, StringData.fromString(SequenceJobs.payload(id)));
        }
    }

    @Test
    public void aSlowStarRocksThrottlesTheSourceAndBoundsWhatTheSinkHolds() throws Exception {
        try (EmulatorProcess emulator = EmulatorProcess.start()) {
            emulator.createTable("db", "slow", "DUPLICATE", Collections.singletonList("id"), SequenceJobs.STARROCKS_COLUMNS);
            emulator.addFault("{\"node\": \"be\", \"op\": \"stream_load\", \"action\": {\"type\": \"delay\", \"ms\": "
                    + DELAY_MS + ", \"before\": \"continue\"}}");
            Map<String, String> options = Options.with(
                    Options.required(emulator.feHttp(), "db", "slow"),
                    "sink.at-least-once.use-transaction-stream-load", "false",
                    "sink.buffer-flush.max-bytes", String.valueOf(MAX_BYTES));
            StreamExecutionEnvironment env = SequenceJobs.environment(1, 0, new Configuration());
            List<LogicalType> types = Arrays.<LogicalType>asList(new BigIntType(false), new VarCharType(64));
            RowType rowType = RowType.of(types.toArray(new LogicalType[0]), SequenceJobs.COLUMNS.toArray(new String[0]));
            env.fromSequence(FIRST_ID, FIRST_ID + ROWS - 1)
                    .map(new Counting())
                    .returns(InternalTypeInfo.of(rowType))
                    .sinkTo(new StarRocksSink<>(options, new RowDataEncoder("db", "slow", SequenceJobs.COLUMNS, types)));

            EMITTED.set(0);
            long started = System.nanoTime();
            JobClient job = env.executeAsync("slow StarRocks");
            long maxHeld = 0;
            boolean finished = false;
            try {
                while (!job.getJobExecutionResult().isDone()) {
                    // Loaded first: rows emitted meanwhile only make the difference larger.
                    long loaded = emulator.stats().get("rows_loaded").asLong();
                    maxHeld = Math.max(maxHeld, EMITTED.get() - loaded);
                    Thread.sleep(50);
                    assertTrue("the job runs longer than 120 s", System.nanoTime() - started < TimeUnit.SECONDS.toNanos(120));
                }
                job.getJobExecutionResult().get();
                finished = true;
            } finally {
                if (!finished) {
                    job.cancel().get(60, TimeUnit.SECONDS);
                }
            }
            long tookMs = (System.nanoTime() - started) / 1_000_000;

            assertEquals(ROWS, emulator.rows("db", "slow").size());
            long loads = emulator.stats().get("loads").asLong();
            // A hand-off (the Java frame buffer, full) as CSV; a chunk is sealed once max-bytes
            // are buffered, so a load holds at most max-bytes plus one hand-off.
            long handOffRows = EngineWriter.FRAME_BUFFER_BYTES / FRAME_ROW_BYTES;
            long chunkBytes = MAX_BYTES + handOffRows * CSV_ROW_BYTES;
            // The engine holds below 2 x max-bytes plus one hand-off and the Java frame buffer one
            // hand-off more; one load of rows may be counted as loaded a moment before the sink
            // releases them, and sampling skew adds rows: count one chunk more.
            long bound = (2 * MAX_BYTES + chunkBytes) / CSV_ROW_BYTES + 2 * handOffRows;
            assertTrue("the sink held up to " + maxHeld + " rows, bound " + bound, maxHeld <= bound);
            assertTrue("bound " + bound + " must be well below the job's rows", bound < ROWS / 2);
            assertTrue("the sink never held rows (" + maxHeld + ")", maxHeld > 0);
            assertTrue(loads + " loads of at most " + chunkBytes + " bytes", loads >= ROWS * CSV_ROW_BYTES / chunkBytes);
            assertTrue("the job took " + tookMs + " ms for " + loads + " loads of " + DELAY_MS + " ms each",
                    tookMs >= (loads - 1) * DELAY_MS);
        }
    }
}
