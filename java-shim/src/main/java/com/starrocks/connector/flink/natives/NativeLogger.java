package com.starrocks.connector.flink.natives;

import java.util.logging.Level;

/**
 * Receives the native engine's log events (called from native code) and writes them to SLF4J
 * logger {@value #LOGGER_NAME}, or to java.util.logging when SLF4J is not on the class path.
 * The engine only sends events at or below {@link #maxLevel()}, read once when the library loads.
 */
public final class NativeLogger {
    public static final String LOGGER_NAME = "com.starrocks.connector.flink.natives.NativeEngine";

    static final int ERROR = 1;
    static final int WARN = 2;
    static final int INFO = 3;
    static final int DEBUG = 4;
    static final int TRACE = 5;

    private interface Sink {
        int maxLevel();

        void log(int level, String message);
    }

    private static final Sink SINK = createSink();

    private NativeLogger() {}

    private static Sink createSink() {
        try {
            Class.forName("org.slf4j.LoggerFactory", false, NativeLogger.class.getClassLoader());
            return new Slf4jSink();
        } catch (ClassNotFoundException | LinkageError e) {
            return new JulSink();
        }
    }

    /** The most verbose level enabled: 0 off, 1 error ... 5 trace. */
    static int maxLevel() {
        return SINK.maxLevel();
    }

    /** Called by the native library. */
    static void log(int level, String target, String message) {
        String module = target.startsWith("starrocks_flink::") ? target.substring(17) : target;
        SINK.log(level, "[" + module + "] " + message);
    }

    private static final class Slf4jSink implements Sink {
        private final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LOGGER_NAME);

        @Override
        public int maxLevel() {
            if (log.isTraceEnabled()) {
                return TRACE;
            }
            if (log.isDebugEnabled()) {
                return DEBUG;
            }
            if (log.isInfoEnabled()) {
                return INFO;
            }
            if (log.isWarnEnabled()) {
                return WARN;
            }
            return log.isErrorEnabled() ? ERROR : 0;
        }

        @Override
        public void log(int level, String message) {
            switch (level) {
                case ERROR:
                    log.error(message);
                    break;
                case WARN:
                    log.warn(message);
                    break;
                case INFO:
                    log.info(message);
                    break;
                case DEBUG:
                    log.debug(message);
                    break;
                default:
                    log.trace(message);
            }
        }
    }

    private static final class JulSink implements Sink {
        private final java.util.logging.Logger log = java.util.logging.Logger.getLogger(LOGGER_NAME);

        private static Level julLevel(int level) {
            switch (level) {
                case ERROR:
                    return Level.SEVERE;
                case WARN:
                    return Level.WARNING;
                case INFO:
                    return Level.INFO;
                case DEBUG:
                    return Level.FINE;
                default:
                    return Level.FINEST;
            }
        }

        @Override
        public int maxLevel() {
            for (int level = TRACE; level >= ERROR; level--) {
                if (log.isLoggable(julLevel(level))) {
                    return level;
                }
            }
            return 0;
        }

        @Override
        public void log(int level, String message) {
            log.log(julLevel(level), message);
        }
    }
}
