package com.starrocks.connector.flink.chaos;

/**
 * How long a chaos run may take before it counts as hung: the job's own duration plus, for each
 * fault, the time the configured timeouts allow it to cost. Nothing here is measured: each term is
 * a timeout of the connector (the plan's {@link SinkSettings}), of Flink (the checkpoint interval,
 * StandaloneCluster's heartbeat timeout and restart delay) or of the runner, plus fixed allowances
 * for starting JVMs and deploying tasks on a busy two-core machine.
 */
final class HangBound {
    /** Planning in the runner's JVM, submitting and deploying a job. */
    static final long SUBMIT_MS = 30_000;
    /** A failover: cancelling the failed tasks, the restart delay (1 s), redeploying, restoring. */
    static final long REDEPLOY_MS = 20_000;
    /** StandaloneCluster's heartbeat.timeout: the JobManager gives up a killed TaskManager after it. */
    static final long HEARTBEAT_TIMEOUT_MS = 8_000;
    /** Starting a TaskManager JVM until it offers its slots. */
    static final long TASK_MANAGER_START_MS = 30_000;
    /**
     * How long the engine polls a label whose prepare or commit answer was ambiguous
     * ({@code STATE_POLL_BUDGET} in rust-core/src/load/transaction.rs).
     */
    static final long SETTLE_MS = 60_000;
    /** The longest publish delay a plan injects (publish_timeout's visible_after_ms). */
    static final long PUBLISH_MS = 3_000;

    private final ChaosPlan plan;

    HangBound(ChaosPlan plan) {
        this.plan = plan;
    }

    /** One failover, replaying up to two checkpoint intervals and redoing one request chain on restore. */
    long restartMillis() {
        return REDEPLOY_MS + 2 * plan.checkpointMillis + plan.sink.retryChainMillis();
    }

    /** A TaskManager killed: noticed after the heartbeat timeout, replaced, then a failover. */
    long taskManagerLossMillis() {
        return HEARTBEAT_TIMEOUT_MS + TASK_MANAGER_START_MS + restartMillis();
    }

    /** Stop-with-savepoint (retried while the job restarts, {@link ChaosJob#STOP_MAX_MS}) and a new submission. */
    long rescaleMillis() {
        return ChaosJob.STOP_MAX_MS + SUBMIT_MS + restartMillis();
    }

    /** A faulty request: its retries, possibly an ambiguous answer to settle, then a failover. */
    long requestFaultMillis(boolean mayNeedSettling) {
        return (mayNeedSettling ? SETTLE_MS : 0) + plan.sink.retryChainMillis() + restartMillis();
    }

    /** The bound of the whole run, from the first submission until the job finished. */
    long totalMillis() {
        long total = SUBMIT_MS + plan.nominalMillis() + plan.failAtIds.size() * restartMillis();
        for (ChaosEvent e : plan.events) {
            total += e.allowanceMillis(this);
        }
        // The final checkpoint, its commit and the publish.
        return total + 2 * plan.checkpointMillis + plan.sink.retryChainMillis() + PUBLISH_MS;
    }
}
