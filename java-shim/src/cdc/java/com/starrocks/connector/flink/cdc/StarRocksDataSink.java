package com.starrocks.connector.flink.cdc;

import com.starrocks.connector.flink.table.sink.v2.StarRocksSink;

import org.apache.flink.cdc.common.event.Event;
import org.apache.flink.cdc.common.sink.DataSink;
import org.apache.flink.cdc.common.sink.EventSinkProvider;
import org.apache.flink.cdc.common.sink.FlinkSinkProvider;
import org.apache.flink.cdc.common.sink.MetadataApplier;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/** The StarRocks sink of a Flink CDC pipeline: the engine's Sink V2 and the DDL applier. */
final class StarRocksDataSink implements DataSink, Serializable {
    private static final long serialVersionUID = 1L;

    private final HashMap<String, String> sinkOptions;
    private final String zone;
    private final StarRocksMetadataApplier applier;

    StarRocksDataSink(Map<String, String> sinkOptions, String zone, StarRocksMetadataApplier applier) {
        this.sinkOptions = new HashMap<>(sinkOptions);
        this.zone = zone;
        this.applier = applier;
    }

    @Override
    public EventSinkProvider getEventSinkProvider() {
        return FlinkSinkProvider.of(
                new StarRocksSink<Event>(sinkOptions, new CdcEventEncoder(zone)));
    }

    @Override
    public MetadataApplier getMetadataApplier() {
        return applier;
    }
}
