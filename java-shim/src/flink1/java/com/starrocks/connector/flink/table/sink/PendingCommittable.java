package com.starrocks.connector.flink.table.sink;

import com.starrocks.connector.flink.table.sink.v2.StarRocksCommittable;

/** A prepared transaction of the SinkFunction path with the checkpoint it belongs to. */
final class PendingCommittable {
    final long checkpointId;
    final StarRocksCommittable committable;

    PendingCommittable(long checkpointId, StarRocksCommittable committable) {
        this.checkpointId = checkpointId;
        this.committable = committable;
    }
}
