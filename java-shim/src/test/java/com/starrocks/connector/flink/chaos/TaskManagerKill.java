package com.starrocks.connector.flink.chaos;

/** SIGKILL to the TaskManager that runs the job's first sink subtask, then a new TaskManager. */
final class TaskManagerKill extends OneOffEvent {
    TaskManagerKill(long at) {
        super(at);
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
    public long allowanceMillis(HangBound bound) {
        return bound.taskManagerLossMillis();
    }
}
