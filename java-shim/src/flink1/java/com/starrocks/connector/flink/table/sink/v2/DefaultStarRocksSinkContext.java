package com.starrocks.connector.flink.table.sink.v2;

import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;

import org.apache.flink.api.connector.sink2.Sink;

/** A {@link StarRocksSinkContext} that holds its two values. */
@SuppressWarnings("deprecation") // Sink.InitContext is deprecated from Flink 1.19
public class DefaultStarRocksSinkContext implements StarRocksSinkContext {
    private final Sink.InitContext initContext;
    private final StarRocksSinkOptions sinkOptions;

    public DefaultStarRocksSinkContext(Sink.InitContext initContext, StarRocksSinkOptions sinkOptions) {
        this.initContext = initContext;
        this.sinkOptions = sinkOptions;
    }

    @Override
    public Sink.InitContext getInitContext() {
        return initContext;
    }

    @Override
    public StarRocksSinkOptions getSinkOptions() {
        return sinkOptions;
    }
}
