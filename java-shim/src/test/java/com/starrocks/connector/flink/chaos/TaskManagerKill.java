package com.starrocks.connector.flink.chaos;

/** SIGKILL to the TaskManager that runs the job's first sink subtask, then a new TaskManager. */
final class TaskManagerKill implements ChaosEvent {
    private final long at;

    TaskManagerKill(long at) {
        this.at = at;
    }

    @Override
    public long atMillis() {
        return at;
    }

    @Override
    public long untilMillis() {
        return at;
    }

    @Override
    public String describe() {
        return "tm-kill@" + ChaosEvent.seconds(at);
    }

    @Override
    public void start(RunContext ctx) throws Exception {
        String killed = ctx.cluster.killTaskManagerOf(ctx.job.jobId());
        ctx.note("killed " + killed);
    }

    @Override
    public void end(RunContext ctx) {}

    @Override
    public long allowanceMillis(HangBound bound) {
        return bound.taskManagerLossMillis();
    }
}
