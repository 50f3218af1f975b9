package com.starrocks.connector.flink.chaos;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Labels the exactly-once sink will want next are taken by another load (a one-row Stream Load
 * into a side table): the sink's begin meets a real {@code Label Already Exists} and must move on
 * to the next id; a restore's lingering-transaction scan meets VISIBLE labels that are not its own.
 */
final class LabelSquat extends OneOffEvent {
    /** The side table the squatting loads go to. */
    static final String SIDE_TABLE = "squatter";

    private final int subtask;
    private final int count;

    LabelSquat(long at, int subtask, int count) {
        super(at);
        this.subtask = subtask;
        this.count = count;
    }

    @Override
    public String describe() {
        return "label-exists(subtask " + subtask + ", " + count + " labels)@" + ChaosEvent.seconds(at);
    }

    /**
     * Takes the {@code count} labels after the next one of the subtask: ids advance once per
     * checkpoint, so the next id is about the number of checkpoints so far, plus one.
     */
    @Override
    public void start(RunContext ctx) throws Exception {
        long next = at / ctx.plan.checkpointMillis + 1;
        List<Long> taken = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        for (long id = next + 1; id <= next + count; id++) {
            String label = ctx.plan.labelPrefix() + "-" + ctx.plan.table() + "-" + subtask + "-" + id;
            try {
                LabelTaker.take(ctx.emulator.feHttp(), ctx.plan.database(), SIDE_TABLE, label);
                taken.add(id);
            } catch (IOException e) {
                // Mostly "Label Already Exists": the sink got there first.
                missed.add(id + " (" + e.getMessage().replaceAll(":.*", "") + ")");
            }
        }
        ctx.note("took ids " + taken + " of subtask " + subtask + (missed.isEmpty() ? "" : ", not " + missed));
    }

    @Override
    public long allowanceMillis(HangBound bound) {
        return bound.requestFaultMillis(false);
    }
}
