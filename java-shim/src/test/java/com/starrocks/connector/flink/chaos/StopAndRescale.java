package com.starrocks.connector.flink.chaos;

/** Stop-with-savepoint, then the same job again from the savepoint with another parallelism. */
final class StopAndRescale extends OneOffEvent {
    private final int parallelism;

    StopAndRescale(long at, int parallelism) {
        super(at);
        this.parallelism = parallelism;
    }

    @Override
    public String describe() {
        return "savepoint->p" + parallelism + "@" + ChaosEvent.seconds(at);
    }

    @Override
    public void start(RunContext ctx) throws Exception {
        String skipped = ctx.job.rescale(parallelism);
        ctx.note("savepoint->p" + parallelism + " " + (skipped == null ? "done" : skipped));
    }

    @Override
    public long allowanceMillis(HangBound bound) {
        return bound.rescaleMillis();
    }
}
