package dev.herd.server.log;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.ParameterizedMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * A server's event log (links, Places, lifecycle): log4j2 once it is running, and until then a short
 * queue that is handed to log4j2, in order and to the right server's file, the moment it is.
 *
 * <p>Why: log4j2 takes 430-630 ms to start on a fresh JVM here (measured), longer than a server has
 * to answer its first client and open its peer links. So the server does not wait for it: it starts
 * on a thread of its own ({@code Main}) while the server serves, and whatever is logged meanwhile
 * (a peer link opening, say) is kept here rather than lost to log4j2's default configuration.
 * The protocol lines do not go through here at all: see {@link ProtocolLog}.
 */
public final class ServerLog {
    /** Events kept before log4j2 runs; past this (a flood of errors in the first half second) the rest are counted. */
    private static final int MAX_EARLY = 10_000;
    private static final Object LOCK = new Object();
    /** True unless {@link #deferUntilReady()} was called: in a JVM that configures log4j2 itself (tests), events go straight to it. */
    private static volatile boolean ready = true;
    private static List<Early> early;
    private static long earlyDropped;

    private final String name;
    private volatile Logger logger;

    private ServerLog(String name) {
        this.name = name;
    }

    /** The event log named after {@code type}; cheap, and touches no log4j2 class until it runs. */
    public static ServerLog of(Class<?> type) {
        return new ServerLog(type.getName());
    }

    /** The event log of that name (a library's, say). */
    public static ServerLog named(String name) {
        return new ServerLog(name);
    }

    /**
     * From now until {@link #ready()}, keep events instead of handing them to log4j2: call before starting
     * it, in a JVM that runs one server (events are not routed to several servers' files when replayed).
     */
    public static void deferUntilReady() {
        synchronized (LOCK) {
            early = new ArrayList<>();
            earlyDropped = 0;
            ready = false;
        }
    }

    /**
     * log4j2 is configured: hands it every event kept so far, then sends every later one straight to
     * it. Call once, from the thread that started log4j2.
     */
    public static void ready() {
        synchronized (LOCK) {
            if (ready) {
                return;
            }
            // Replayed under the lock, so that no later event overtakes a kept one; each with the time and
            // thread it was logged at, not those of its replay.
            for (Early e : early) {
                replay(e);
            }
            if (earlyDropped > 0) {
                LogManager.getLogger(ServerLog.class).warn("{} events logged while logging started were left out", earlyDropped);
            }
            early = null;
            ready = true;
        }
    }

    private static void replay(Early e) {
        Logger logger = LogManager.getLogger(e.logger);
        if (!logger.isEnabled(e.level)) {
            return;
        }
        if (!(logger instanceof org.apache.logging.log4j.core.Logger core)) {
            logger.log(e.level, e.format, e.args);
            return;
        }
        ParameterizedMessage message = new ParameterizedMessage(e.format, e.args);
        core.get().log(Log4jLogEvent.newBuilder().setLoggerName(e.logger).setLoggerFqcn(ServerLog.class.getName())
                .setLevel(e.level).setMessage(message).setThrown(message.getThrowable())
                .setTimeMillis(e.millis).setThreadName(e.thread).build());
    }

    /**
     * The server stops before log4j2 was started: writes the events kept so far to {@code log} (the
     * server's log file, in the same layout) instead of starting log4j2, which would cost a stopping
     * server most of a second of CPU for a handful of lines. Later events go to log4j2 as usual.
     */
    public static void writeKeptTo(ProtocolLog log) {
        synchronized (LOCK) {
            if (ready) {
                return;
            }
            for (Early e : early) {
                ParameterizedMessage message = new ParameterizedMessage(e.format, e.args);
                StringBuilder text = new StringBuilder(message.getFormattedMessage());
                if (message.getThrowable() != null) {
                    java.io.StringWriter trace = new java.io.StringWriter();
                    message.getThrowable().printStackTrace(new java.io.PrintWriter(trace));
                    text.append(System.lineSeparator()).append(trace.toString().stripTrailing());
                }
                log.event(e.millis, e.level.name(), e.logger, e.thread, text.toString());
            }
            early.clear();
        }
    }

    /** Whether log4j2 runs yet (for tests). */
    public static boolean isReady() {
        return ready;
    }

    public void debug(String format, Object... args) {
        if (isDebugEnabled()) {
            log(Level.DEBUG, format, args);
        }
    }

    public void info(String format, Object... args) {
        log(Level.INFO, format, args);
    }

    public void warn(String format, Object... args) {
        log(Level.WARN, format, args);
    }

    public void error(String format, Object... args) {
        log(Level.ERROR, format, args);
    }

    public boolean isDebugEnabled() {
        return ready ? logger().isDebugEnabled() : "debug".equalsIgnoreCase(System.getProperty("herd.logLevel"));
    }

    private void log(Level level, String format, Object[] args) {
        if (ready) {
            logger().log(level, format, args);
            return;
        }
        synchronized (LOCK) {
            if (!ready) {
                if (early.size() < MAX_EARLY) {
                    early.add(new Early(name, level, format, args, System.currentTimeMillis(), Thread.currentThread().getName()));
                } else {
                    earlyDropped++;
                }
                return;
            }
        }
        logger().log(level, format, args);
    }

    private Logger logger() {
        Logger l = logger;
        if (l == null) {
            l = LogManager.getLogger(name);
            logger = l;
        }
        return l;
    }

    /** An event logged before log4j2 ran, with when and where. */
    private record Early(String logger, Level level, String format, Object[] args, long millis, String thread) {
    }
}
