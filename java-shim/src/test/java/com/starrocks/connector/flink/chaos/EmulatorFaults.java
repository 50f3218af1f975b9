package com.starrocks.connector.flink.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Random emulator fault windows (tests/emulator/README.md, "Fault injection") for the requests a
 * sink of one mode makes. Rules fire on every n-th matching request, at most a few times, and are
 * limited to the run's labels (except the node-wide ones): counts, not the emulator's unseeded
 * probabilities, so that a seed replays the same rules.
 */
final class EmulatorFaults {
    /** Kinds of emulator fault; which apply depends on the sink's mode. */
    enum Kind {
        HTTP_ERROR,
        RESET_MID_BODY,
        LOST_RESPONSE,
        NO_RESPONSE,
        PUBLISH_TIMEOUT,
        LOSE_CONTEXT,
        FAIL,
        BE_DOWN,
        FE_SILENT
    }

    private final Random random;
    private final boolean transactions;
    private final boolean exactlyOnce;
    private final String labelFilter;

    /**
     * @param transactions the sink uses the transaction interface (exactly-once, or at-least-once
     *     with transaction Stream Load); otherwise plain Stream Loads
     */
    EmulatorFaults(Random random, boolean exactlyOnce, boolean transactions, String labelPrefix) {
        this.random = random;
        this.exactlyOnce = exactlyOnce;
        this.transactions = transactions;
        this.labelFilter = "\"label\": \"^" + labelPrefix + "-\"";
    }

    List<Kind> kinds() {
        List<Kind> all = new ArrayList<>(Arrays.asList(Kind.values()));
        if (!transactions) {
            all.remove(Kind.LOSE_CONTEXT);
        }
        return all;
    }

    /** The operations the sink sends. */
    private List<String> operations() {
        if (!transactions) {
            return Arrays.asList("stream_load", "get_load_state");
        }
        List<String> ops = new ArrayList<>(Arrays.asList("begin", "load", "prepare", "commit"));
        if (exactlyOnce) {
            // Restores scan labels and roll lingering transactions back.
            ops.add("get_load_state");
            ops.add("rollback");
        }
        return ops;
    }

    private String dataOperation() {
        return transactions ? "load" : "stream_load";
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    /** The node that applies an operation, where a fault after applying it must act. */
    private static String nodeOf(String op) {
        switch (op) {
            case "begin":
            case "load":
            case "prepare":
            case "stream_load":
                return "be";
            case "rollback":
                return "any";
            default:
                return "fe";
        }
    }

    /** A window of {@code kind} starting at {@code at}. */
    FaultWindow window(Kind kind, long at) {
        long until = at + 2_000 + random.nextInt(5) * 1_000L;
        int every = 1 + random.nextInt(3);
        int times = 1 + random.nextInt(4);
        String counts = "\"every\": " + every + ", \"times\": " + times;
        String often = (every == 1 ? "" : " every " + ordinal(every)) + " x" + times;
        switch (kind) {
            case HTTP_ERROR: {
                String op = pick(operations());
                int status = pick(Arrays.asList(500, 502, 503));
                return new FaultWindow(at, until,
                        rule("any", op, counts, "{\"type\": \"http_error\", \"status\": " + status
                                + ", \"body\": \"injected " + status + "\"}", true),
                        "http_error(" + status + ") on " + op + often, settles(op));
            }
            case RESET_MID_BODY: {
                String op = dataOperation();
                int afterBytes = 256 << random.nextInt(8);
                return new FaultWindow(at, until,
                        rule("be", op, counts, "{\"type\": \"reset_mid_body\", \"after_bytes\": " + afterBytes + "}", true),
                        "reset_mid_body(" + afterBytes + "B) on " + op + often, false);
            }
            case LOST_RESPONSE: {
                String op = pick(operations());
                return new FaultWindow(at, until,
                        rule(nodeOf(op), op, counts, "{\"type\": \"drop_after\"}", true),
                        "lost_response on " + op + often, settles(op));
            }
            case NO_RESPONSE: {
                String op = pick(operations());
                return new FaultWindow(at, until,
                        rule(nodeOf(op), op, counts, "{\"type\": \"drop_before\"}", true),
                        "no_response on " + op + often, settles(op));
            }
            case PUBLISH_TIMEOUT: {
                String op = transactions ? "commit" : "stream_load";
                int visibleAfter = 300 + random.nextInt(10) * 300;
                return new FaultWindow(at, until,
                        rule(nodeOf(op), op, counts,
                                "{\"type\": \"publish_timeout\", \"visible_after_ms\": " + visibleAfter + "}", true),
                        "publish_timeout(" + visibleAfter + "ms) on " + op + often, true);
            }
            case LOSE_CONTEXT: {
                String op = pick(Arrays.asList("load", "prepare"));
                return new FaultWindow(at, until,
                        rule("be", op, counts, "{\"type\": \"lose_context\"}", true),
                        "lose_context on " + op + often, true);
            }
            case FAIL: {
                String op = transactions ? pick(Arrays.asList("begin", "load", "commit")) : "stream_load";
                String preset = pick(presetsFor(op));
                return new FaultWindow(at, until,
                        rule(nodeOf(op), op, counts, "{\"type\": \"fail\", \"preset\": \"" + preset + "\"}", true),
                        "fail(" + preset + ") on " + op + often, settles(op));
            }
            case BE_DOWN: {
                String op = transactions ? "begin" : "stream_load";
                int forMs = 1_000 + random.nextInt(4) * 1_000;
                return new FaultWindow(at, until,
                        rule("fe", op, "\"times\": 1", "{\"type\": \"be_down\", \"for_ms\": " + forMs + "}", true),
                        "be_down(" + forMs + "ms) on " + op, false);
            }
            case FE_SILENT: {
                // Every FE request waits far longer than any client timeout: an FE that stopped answering.
                return new FaultWindow(at, until,
                        rule("fe", "any", null, "{\"type\": \"delay\", \"ms\": 600000}", false),
                        "fe_silent", true);
            }
            default:
                throw new IllegalArgumentException("unknown emulator fault " + kind);
        }
    }

    private static List<String> presetsFor(String op) {
        switch (op) {
            case "begin":
                return Arrays.asList("too_many_txns", "shutting_down");
            case "commit":
                return Arrays.asList("commit_rpc_failure");
            default:
                return Arrays.asList("mem_limit", "too_many_versions", "cancelled", "shutting_down");
        }
    }

    /** Whether a fault on {@code op} can leave a prepare or commit for the engine to settle. */
    private static boolean settles(String op) {
        return op.equals("prepare") || op.equals("commit") || op.equals("get_load_state");
    }

    private String rule(String node, String op, String counts, String action, boolean onlyThisRun) {
        StringBuilder sb = new StringBuilder("{\"node\": \"").append(node).append("\", \"op\": \"").append(op).append('"');
        if (onlyThisRun) {
            sb.append(", ").append(labelFilter);
        }
        if (counts != null) {
            sb.append(", ").append(counts);
        }
        return sb.append(", \"action\": ").append(action).append('}').toString();
    }

    private static String ordinal(int n) {
        return n + (n == 2 ? "nd" : n == 3 ? "rd" : "th");
    }
}
