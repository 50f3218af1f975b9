package com.starrocks.connector.flink.testjobs;

import org.apache.flink.cdc.cli.parser.YamlPipelineDefinitionParser;
import org.apache.flink.cdc.composer.definition.PipelineDef;
import org.apache.flink.cdc.composer.flink.FlinkPipelineComposer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.lang.reflect.Constructor;
import java.nio.file.Paths;

/**
 * Runs a Flink CDC pipeline YAML (Flink CDC 3.1's own parser and composer, as its command-line
 * client does with {@code --use-mini-cluster}) on a local MiniCluster with checkpoints every
 * {@code args[1]} ms and restarts, until it ends. The command-line client has no way to turn on
 * checkpointing for a mini cluster, which a pipeline restored after a failure needs.
 */
public final class CdcPipelineWithCheckpoints {
    private CdcPipelineWithCheckpoints() {}

    public static void main(String[] args) throws Exception {
        PipelineDef pipeline =
                new YamlPipelineDefinitionParser()
                        .parse(Paths.get(args[0]), new org.apache.flink.cdc.common.configuration.Configuration());
        Configuration conf = new Configuration();
        conf.setString("execution.checkpointing.interval", args[1] + " ms");
        conf.setString("restart-strategy.type", "fixed-delay");
        conf.setString("restart-strategy.fixed-delay.attempts", "5");
        conf.setString("restart-strategy.fixed-delay.delay", "500 ms");
        conf.setString("rest.bind-port", "0");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        // FlinkPipelineComposer.ofMiniCluster() makes its own environment; take one with checkpoints.
        Constructor<FlinkPipelineComposer> blocking =
                FlinkPipelineComposer.class.getDeclaredConstructor(StreamExecutionEnvironment.class, boolean.class);
        blocking.setAccessible(true);
        blocking.newInstance(env, true).compose(pipeline).execute();
    }
}
