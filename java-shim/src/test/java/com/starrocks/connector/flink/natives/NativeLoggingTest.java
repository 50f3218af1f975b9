package com.starrocks.connector.flink.natives;

import com.starrocks.connector.flink.row.RowFrameWriter;
import com.starrocks.connector.flink.testing.Options;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.Assert.assertTrue;

/** Native `tracing` events reach the Java logger (SLF4J, here backed by log4j2). */
public class NativeLoggingTest {

    @Test
    public void aNativeWarningReachesTheJavaLogger() {
        List<String> seen = new CopyOnWriteArrayList<>();
        AbstractAppender appender =
                new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
                    @Override
                    public void append(LogEvent event) {
                        seen.add(event.getLoggerName() + " " + event.getLevel() + " " + event.getMessage().getFormattedMessage());
                    }
                };
        appender.start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        org.apache.logging.log4j.core.Logger logger = ctx.getLogger(NativeLogger.LOGGER_NAME);
        logger.addAppender(appender);
        try {
            Map<String, String> options =
                    Options.with(
                            Options.required("127.0.0.1:1", "db", "t"),
                            "sink.wait-for-continue.timeout-ms", "10",
                            "sink.at-least-once.use-transaction-stream-load", "false");
            try (NativeSinkWriter w = NativeSinkWriter.create(options, RowFrameWriter.FRAME_VERSION)) {
                w.flush();
            }
        } finally {
            logger.removeAppender(appender);
        }
        boolean found = false;
        for (String line : seen) {
            if (line.startsWith(NativeLogger.LOGGER_NAME + " WARN ")
                    && line.contains("sink.wait-for-continue.timeout-ms")
                    && line.contains("[writer]")) {
                found = true;
            }
        }
        assertTrue("no native warning among " + seen, found);
    }
}
