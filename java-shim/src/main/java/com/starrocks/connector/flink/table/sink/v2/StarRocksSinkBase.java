package com.starrocks.connector.flink.table.sink.v2;

import com.starrocks.connector.flink.sink.FlinkVersionGuard;
import com.starrocks.connector.flink.sink.RecordEncoder;
import com.starrocks.connector.flink.sink.SerializationSchemaEncoder;
import com.starrocks.connector.flink.table.sink.StarRocksSinkOptions;

import org.apache.flink.api.common.serialization.SerializationSchema;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What the Sink V2 StarRocks sink is on every Flink version: its options, its record encoder,
 * its committer. The {@code StarRocksSink} of each Flink generation adds that generation's sink
 * interfaces, writer creation and serializers (declared there: Flink CDC looks the committable
 * serializer up with {@code getDeclaredMethod} on the sink's own class).
 */
public abstract class StarRocksSinkBase<InputT> implements Serializable {
    private static final long serialVersionUID = 1L;

    protected final HashMap<String, String> options;
    protected final RecordEncoder<InputT> encoder;

    protected StarRocksSinkBase(Map<String, String> options, RecordEncoder<InputT> encoder) {
        FlinkVersionGuard.check();
        this.options = new HashMap<>(options);
        this.encoder = encoder;
    }

    /**
     * Gives a {@link RecordSerializationSchema} (if the encoder has one) the contexts of the
     * writer about to open it.
     *
     * @param sinkContext the writer's {@link StarRocksSinkContext}, given the sink options
     */
    protected void bindSerializationSchema(
            SerializationSchema.InitializationContext context,
            Function<StarRocksSinkOptions, StarRocksSinkContext> sinkContext) {
        if (encoder instanceof SerializationSchemaEncoder) {
            SerializationSchemaEncoder<InputT> schema = (SerializationSchemaEncoder<InputT>) encoder;
            schema.bind(context, sinkContext.apply(schema.options()));
        }
    }

    protected StarRocksCommitter newCommitter() {
        return new StarRocksCommitter(options);
    }
}
