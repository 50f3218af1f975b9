package com.starrocks.connector.flink.table.sink.v2;

import com.starrocks.connector.flink.sink.RecordEncoder;

import org.apache.flink.api.connector.sink2.Sink;

import java.util.Collection;
import java.util.Map;

/** The Sink V2 writer on Flink 1.x (see {@link StarRocksWriterBase}). */
@SuppressWarnings("deprecation") // StatefulSink and TwoPhaseCommittingSink are deprecated from Flink 1.19
public class StarRocksWriter<InputT> extends StarRocksWriterBase<InputT>
        implements org.apache.flink.api.connector.sink2.StatefulSink.StatefulSinkWriter<InputT, StarRocksWriterState>,
                org.apache.flink.api.connector.sink2.TwoPhaseCommittingSink.PrecommittingSinkWriter<InputT, StarRocksCommittable> {

    StarRocksWriter(
            Map<String, String> options,
            RecordEncoder<InputT> encoder,
            Sink.InitContext context,
            Collection<StarRocksWriterState> recoveredState) {
        super(
                options,
                encoder,
                context.getSubtaskId(),
                context.getNumberOfParallelSubtasks(),
                context.getRestoredCheckpointId(),
                recoveredState,
                context,
                context.metricGroup(),
                context.getProcessingTimeService());
    }
}
