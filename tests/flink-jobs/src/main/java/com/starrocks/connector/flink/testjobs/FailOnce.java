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
