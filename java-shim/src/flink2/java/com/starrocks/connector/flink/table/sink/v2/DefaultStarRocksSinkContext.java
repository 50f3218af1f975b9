package com.starrocks.connector.flink.table.sink.v2;

import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;

import org.apache.flink.api.connector.sink2.WriterInitContext;

/** A {@link StarRocksSinkContext} that holds its two values. */
public class DefaultStarRocksSinkContext implements StarRocksSinkContext {
    private final WriterInitContext initContext;
    private final StarRocksSinkOptions sinkOptions;

    public DefaultStarRocksSinkContext(WriterInitContext initContext, StarRocksSinkOptions sinkOptions) {
        this.initContext = initContext;
        this.sinkOptions = sinkOptions;
    }

    @Override
    public WriterInitContext getInitContext() {
        return initContext;
    }

    @Override
    public StarRocksSinkOptions getSinkOptions() {
        return sinkOptions;
    }
}
