package com.starrocks.connector.flink.natives;

/**
 * The one exception type of the connector's engine. {@link #kind()} is stable and can be used to
 * tell configuration mistakes from server refusals, timeouts and bugs. Messages name the option,
 * row, table, label or server answer at fault and never contain the password.
 */
public class StarRocksException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Stable error kinds; the native engine creates exceptions by these names. */
    public enum Kind {
        /** An option is missing or malformed. */
        CONFIG,
        /** Valid in the public connector, not built in this one yet. */
        UNSUPPORTED,
        /** A StarRocks node could not be reached, or the connection broke. */
        CONNECTION,
        /** The server rejected the credentials or the privilege. */
        AUTH,
        /** The server answered and refused the load. */
        LOAD_FAILED,
        /** A bounded wait ran out. */
        TIMEOUT,
        /** A row could not be decoded or encoded. */
        INVALID_DATA,
        /** The native object was used after close(). */
        CLOSED,
        /** The calling thread was interrupted (its Flink task is being cancelled) while it waited. */
        INTERRUPTED,
        /** A bug in the engine, including a native panic. */
        INTERNAL
    }

    private final Kind kind;

    public StarRocksException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public StarRocksException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** Called by the native library. */
    StarRocksException(String kind, String message) {
        this(parseKind(kind), message);
    }

    private static Kind parseKind(String name) {
        try {
            return Kind.valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            return Kind.INTERNAL;
        }
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public String toString() {
        return getClass().getName() + " [" + kind + "]: " + getMessage();
    }
}
