package dev.herd.server.log;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;


/**
 * A server's event log (links, Places, lifecycle): log4j2 once it is running, and until then the
 * server's own log writer, which puts each event in the same file in the same layout.
 *
 * <p>Why: log4j2 takes 0.7-0.8 s to start on a fresh JVM here, and about 1.3 s of CPU (docs/PERFORMANCE.md), more
 * than a server has to answer its first client and open its peer links, on two cores where other
 * servers may be starting too. So a JVM that runs one server ({@code Main}) starts it a while later
 * ({@link #deferUntilReady}); what is logged meanwhile is written at once by {@link ProtocolLog}, so
 * nothing waits and nothing is lost, even to a crash. Elsewhere (the testkit) events go straight to
 * log4j2.
 */
public final class ServerLog {
    /**
     * Held while an event goes to the early writer and while log4j2 takes over, so that no event is
     * written to the early writer once it is closing (it would be dropped without a word). Events only,
     * a few a second at most: never the protocol lines.
     */
    private static final Object HANDOVER = new Object();
    /** Until log4j2 runs in a JVM that defers it, where events go; null otherwise. */
    private static volatile ProtocolLog early;
    /** The least an event must be to be written meanwhile: {@code -Dherd.logLevel}, as log4j2's configuration reads it. */
    private static volatile Level earlyThreshold = Level.INFO;

    private final String name;
    private volatile Logger logger;

    private ServerLog(String name) {
        this.name = name;
    }

    /** The event log named after {@code type}; cheap, and touches no log4j2 class until it is used. */
    public static ServerLog of(Class<?> type) {
        return new ServerLog(type.getName());
    }

    /** The event log of that name (a library's, say). */
    public static ServerLog named(String name) {
        return new ServerLog(name);
    }

    /**
     * From now until {@link #ready()}, events are written by {@code log} (the one server's event log)
     * instead of log4j2: call before starting log4j2, in a JVM that runs one server.
     */
    public static void deferUntilReady(ProtocolLog log) {
        earlyThreshold = Level.toLevel(System.getProperty("herd.logLevel"), Level.INFO);
        early = log;
    }

    /** log4j2 is configured: events go to it from now on, and the writer that held them meanwhile is closed. */
    public static void ready() {
        ProtocolLog writer;
        synchronized (HANDOVER) {
            writer = early;
            early = null;
        }
        if (writer != null) {
            writer.close();
        }
    }

    /** Whether events go to log4j2 (it was never deferred, or it is running). */
    public static boolean isReady() {
        return early == null;
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
        return early == null ? logger().isDebugEnabled() : Level.DEBUG.isMoreSpecificThan(earlyThreshold);
    }

    private void log(Level level, String format, Object[] args) {
        ProtocolLog writer = early;
        if (writer == null) {
            logger().log(level, format, args);
            return;
        }
        if (!level.isMoreSpecificThan(earlyThreshold)) {
            return;
        }
        String text = format(format, args);
        synchronized (HANDOVER) {
            if (early == null) {
                // log4j2 took over since this event began: a closed early writer would drop it silently.
                logger().log(level, format, args);
                return;
            }
            writer.event(System.currentTimeMillis(), level.name(), name, Thread.currentThread().getName(), text);
        }
    }

    /**
     * The event's text as log4j2 makes it: each {@code {}} replaced by the next argument, and a last
     * argument that is a throwable no placeholder took printed after it with its frames. Not log4j2's
     * {@code ParameterizedMessage}: its first use reads log4j2's properties (a service lookup over the
     * whole jar, about 100 ms of a fresh JVM, per {@code -Xlog:class+load}), which a server starting
     * log4j2 later would pay on its first event, beside its first client.
     */
    static String format(String format, Object[] args) {
        StringBuilder text = new StringBuilder(format.length() + 16 * args.length);
        int used = 0;
        int from = 0;
        for (int at = format.indexOf("{}"); at >= 0 && used < args.length; at = format.indexOf("{}", from)) {
            text.append(format, from, at).append(args[used++]);
            from = at + 2;
        }
        text.append(format, from, format.length());
        if (used < args.length && args[args.length - 1] instanceof Throwable thrown) {
            text.append(System.lineSeparator()).append(trace(thrown));
        }
        return text.toString();
    }

    /** A throwable and its causes with their frames, as log4j2's layout would print them. */
    private static String trace(Throwable thrown) {
        StringBuilder out = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = thrown; t != null && seen.add(t); t = t.getCause()) {
            out.append(t == thrown ? "" : System.lineSeparator() + "Caused by: ").append(t);
            for (StackTraceElement frame : t.getStackTrace()) {
                out.append(System.lineSeparator()).append("\tat ").append(frame);
            }
        }
        return out.toString();
    }

    private Logger logger() {
        Logger l = logger;
        if (l == null) {
            l = LogManager.getLogger(name);
            logger = l;
        }
        return l;
    }
}
