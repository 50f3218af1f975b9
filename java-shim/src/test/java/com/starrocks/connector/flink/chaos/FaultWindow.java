package com.starrocks.connector.flink.chaos;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

/**
 * An emulator fault rule (tests/emulator/README.md, "Fault injection") in force from
 * {@link #atMillis()} until {@link #untilMillis()}.
 */
final class FaultWindow implements ChaosEvent {
    private final long at;
    private final long until;
    private final String rule;
    private final String what;
    private final boolean mayNeedSettling;
    private long ruleId = -1;

    /**
     * @param rule the rule's JSON
     * @param what how the run's line names it, e.g. {@code http_error(503) on be load every 2nd x3}
     * @param mayNeedSettling the fault can leave a prepare or commit ambiguous (the engine then
     *     polls the label's state)
     */
    FaultWindow(long at, long until, String rule, String what, boolean mayNeedSettling) {
        this.at = at;
        this.until = until;
        this.rule = rule;
        this.what = what;
        this.mayNeedSettling = mayNeedSettling;
    }

    @Override
    public long atMillis() {
        return at;
    }

    @Override
    public long untilMillis() {
        return until;
    }

    @Override
    public String describe() {
        return what + "@" + ChaosEvent.seconds(at) + "-" + ChaosEvent.seconds(until);
    }

    /** The fault's name without its details: {@code http_error(503)}. */
    private String kind() {
        int space = what.indexOf(' ');
        return space < 0 ? what : what.substring(0, space);
    }

    /** The rule's JSON. */
    String rule() {
        return rule;
    }

    @Override
    public void start(RunContext ctx) throws Exception {
        ruleId = ctx.emulator.addFault(rule);
    }

    @Override
    public void end(RunContext ctx) throws Exception {
        if (ruleId < 0) {
            return;
        }
        for (JsonNode f : ctx.emulator.faults()) {
            if (f.get("id").asLong() == ruleId) {
                ctx.note(kind() + " fired " + f.get("fired").asInt() + " of " + f.get("seen").asInt());
            }
        }
        ctx.emulator.removeFault(ruleId);
        ruleId = -1;
    }

    @Override
    public long allowanceMillis(HangBound bound) {
        return (until - at) + bound.requestFaultMillis(mayNeedSettling);
    }
}
