package com.starrocks.connector.flink.testjobs;

import org.apache.flink.table.functions.ScalarFunction;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A SQL function that fails its task once, for failover tests on any Flink version:
 * {@code fail_once(id, failAt, marker)} returns {@code id}, and throws when {@code id = failAt}
 * and the file {@code marker} does not exist yet (it creates it first, so the restarted job
 * passes). The marker lives on disk so that the failure happens once per job also when the
 * task runs in another JVM.
 *
 * <p>Run it unchained ({@code SET 'pipeline.operator-chaining' = 'false'}) when the source is a
 * legacy SourceFunction such as SQL's {@code datagen}: chained, the exception leaves the source's
 * emit after the source has taken the record from its state, a checkpoint can be taken before the
 * task fails, and that checkpoint completes, so Flink restores past the failing record. In its own
 * task the function fails before the barrier that follows the record, and that checkpoint never
 * completes.
 */
public class FailOnce extends ScalarFunction {
    private static final long serialVersionUID = 1L;

    public Long eval(Long id, Long failAt, String marker) {
        if (id != null && id.equals(failAt)) {
            try {
                if (new File(marker).createNewFile()) {
                    throw new IllegalStateException("injected failure at id " + id);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return id;
    }

    @Override
    public boolean isDeterministic() {
        return false;
    }
}
