package dev.herd.server.internal;

import io.netty.util.concurrent.DefaultThreadFactory;
import org.apache.logging.log4j.CloseableThreadContext;
import org.apache.logging.log4j.ThreadContext;

/**
 * Names a server's threads after it and, where several servers share a JVM (the testkit), tags
 * them for logging, so that every line a thread logs lands in that server's own log file.
 *
 * <p>A JVM that runs one server ({@code java -jar}, see {@link #oneServerPerJvm()}) routes nothing:
 * its log configuration writes one file, and no thread touches log4j2's ThreadContext, whose start
 * alone costs a fresh JVM about 100 ms it does not have before its first reply.
 */
public final class ServerThreads extends DefaultThreadFactory {
    /** ThreadContext key: the server's name, shown in every log line. */
    public static final String SERVER_KEY = "herd.server";
    /** ThreadContext key: the server's log file, which log4j2 routes on. */
    public static final String LOG_FILE_KEY = "herd.logFile";
    /** Where nothing is routed, the one server's log file, for the log configuration to read. */
    public static final String LOG_FILE_PROPERTY = "herd.logFile";

    private static volatile boolean routed = true;

    private final String server;
    private final String logFile;

    public ServerThreads(String server, String role, String logFile) {
        super(server + "-" + role, false);
        this.server = server;
        this.logFile = logFile;
    }

    /**
     * This JVM runs one server, whose log file is {@code logFile}: log events need no routing. Call
     * before any server thread starts.
     */
    public static void oneServerPerJvm(String logFile) {
        System.setProperty(LOG_FILE_PROPERTY, logFile);
        routed = false;
    }

    @Override
    protected Thread newThread(Runnable r, String name) {
        return super.newThread(() -> {
            tagCurrentThread(server, logFile);
            r.run();
        }, name);
    }

    /**
     * Routes what the current thread logs to {@code logFile} until the returned scope is closed: for a
     * thread that is not the server's own (the testkit's, or {@code main} in a shared JVM).
     */
    public static Scope scope(String server, String logFile) {
        if (!routed) {
            return Scope.NONE;
        }
        CloseableThreadContext.Instance tags = CloseableThreadContext.put(SERVER_KEY, server).put(LOG_FILE_KEY, logFile);
        return tags::close;
    }

    /** Routes what the current thread logs to {@code logFile}. */
    public static void tagCurrentThread(String server, String logFile) {
        if (routed) {
            ThreadContext.put(SERVER_KEY, server);
            ThreadContext.put(LOG_FILE_KEY, logFile);
        }
    }

    /** The routing of a thread's log events, until closed. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        Scope NONE = () -> { };

        @Override
        void close();
    }
}
