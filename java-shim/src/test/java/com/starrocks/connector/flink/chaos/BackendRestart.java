package com.starrocks.connector.flink.chaos;

/** The emulator's BE restarts: every transaction context it held is lost. */
final class BackendRestart extends OneOffEvent {
    BackendRestart(long at) {
        super(at);
    }

    @Override
    public String describe() {
        return "be-restart@" + ChaosEvent.seconds(at);
    }

    @Override
    public void start(RunContext ctx) throws Exception {
        String answer = ctx.emulator.call("POST", "/control/backends/0/restart", null);
        ctx.note("be-restart " + answer.trim());
    }

    @Override
    public long allowanceMillis(HangBound bound) {
        return bound.requestFaultMillis(true);
    }
}
