package dev.herd.server;

import io.netty.util.concurrent.DefaultThreadFactory;
import org.apache.logging.log4j.CloseableThreadContext;
import org.apache.logging.log4j.ThreadContext;

/**
 * Names a server's threads after it and tags them for logging, so that every line a thread logs
 * lands in that server's own log file, even with several servers in one JVM (the testkit).
 */
public final class ServerThreads extends DefaultThreadFactory {
    /** ThreadContext key: the server's name, shown in every log line. */
    public static final String SERVER_KEY = "herd.server";
    /** ThreadContext key: the server's log file, which log4j2 routes on. */
    public static final String LOG_FILE_KEY = "herd.logFile";

    private final String server;
    private final String logFile;

    public ServerThreads(String server, String role, String logFile) {
        super(server + "-" + role, false);
        this.server = server;
        this.logFile = logFile;
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
    public static CloseableThreadContext.Instance scope(String server, String logFile) {
        return CloseableThreadContext.put(SERVER_KEY, server).put(LOG_FILE_KEY, logFile);
    }

    /** Routes what the current thread logs to {@code logFile}. */
    public static void tagCurrentThread(String server, String logFile) {
        ThreadContext.put(SERVER_KEY, server);
        ThreadContext.put(LOG_FILE_KEY, logFile);
    }
}
