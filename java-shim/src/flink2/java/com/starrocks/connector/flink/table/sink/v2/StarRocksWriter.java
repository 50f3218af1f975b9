package com.starrocks.connector.flink.table.sink.v2;

import com.starrocks.connector.flink.sink.RecordEncoder;

import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.util.Collection;
import java.util.Map;

/** The Sink V2 writer on Flink 2.x (see {@link StarRocksWriterBase}). */
public class StarRocksWriter<InputT> extends StarRocksWriterBase<InputT>
        implements StatefulSinkWriter<InputT, StarRocksWriterState>,
                CommittingSinkWriter<InputT, StarRocksCommittable> {

    StarRocksWriter(
            Map<String, String> options,
            RecordEncoder<InputT> encoder,
            WriterInitContext context,
            Collection<StarRocksWriterState> recoveredState) {
        super(
                options,
                encoder,
                context.getTaskInfo().getIndexOfThisSubtask(),
                context.getTaskInfo().getNumberOfParallelSubtasks(),
                context.getRestoredCheckpointId(),
                recoveredState,
                context,
                context.metricGroup(),
                context.getProcessingTimeService());
    }
}
