package dev.herd.server.log;

import io.netty.util.internal.logging.AbstractInternalLogger;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

/**
 * Netty's own log lines, through {@link ServerLog}: into the server's log (kept until log4j2 runs, like
 * the server's events), and without starting java.util.logging or log4j2 on the way to the first reply.
 * Trace is dropped; the log configuration sets Netty's level (warn).
 */
public final class NettyLog extends InternalLoggerFactory {
    public static final NettyLog INSTANCE = new NettyLog();

    private NettyLog() {
    }

    @Override
    protected InternalLogger newInstance(String name) {
        return new Logger(name);
    }

    private enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

    /** One Netty logger, named as Netty names it: each method of Netty's interface is one of five levels. */
    private static final class Logger extends AbstractInternalLogger {
        private static final long serialVersionUID = 1L;
        private final transient ServerLog log;

        Logger(String name) {
            super(name);
            this.log = ServerLog.named(name);
        }

        private boolean enabled(Level level) {
            return level != Level.TRACE && (level != Level.DEBUG || log.isDebugEnabled());
        }

        private void emit(Level level, String format, Object... args) {
            switch (level) {
                case TRACE -> { }
                case DEBUG -> log.debug(format, args);
                case INFO -> log.info(format, args);
                case WARN -> log.warn(format, args);
                case ERROR -> log.error(format, args);
                default -> throw new IllegalArgumentException(level.name());
            }
        }

        @Override
        public boolean isTraceEnabled() {
            return enabled(Level.TRACE);
        }

        @Override
        public void trace(String msg) {
            emit(Level.TRACE, msg);
        }

        @Override
        public void trace(String format, Object arg) {
            emit(Level.TRACE, format, arg);
        }

        @Override
        public void trace(String format, Object argA, Object argB) {
            emit(Level.TRACE, format, argA, argB);
        }

        @Override
        public void trace(String format, Object... arguments) {
            emit(Level.TRACE, format, arguments);
        }

        @Override
        public void trace(String msg, Throwable t) {
            emit(Level.TRACE, msg, t);
        }
        @Override
        public boolean isDebugEnabled() {
            return enabled(Level.DEBUG);
        }

        @Override
        public void debug(String msg) {
            emit(Level.DEBUG, msg);
        }

        @Override
        public void debug(String format, Object arg) {
            emit(Level.DEBUG, format, arg);
        }

        @Override
        public void debug(String format, Object argA, Object argB) {
            emit(Level.DEBUG, format, argA, argB);
        }

        @Override
        public void debug(String format, Object... arguments) {
            emit(Level.DEBUG, format, arguments);
        }

        @Override
        public void debug(String msg, Throwable t) {
            emit(Level.DEBUG, msg, t);
        }
        @Override
        public boolean isInfoEnabled() {
            return enabled(Level.INFO);
        }

        @Override
        public void info(String msg) {
            emit(Level.INFO, msg);
        }

        @Override
        public void info(String format, Object arg) {
            emit(Level.INFO, format, arg);
        }

        @Override
        public void info(String format, Object argA, Object argB) {
            emit(Level.INFO, format, argA, argB);
        }

        @Override
        public void info(String format, Object... arguments) {
            emit(Level.INFO, format, arguments);
        }

        @Override
        public void info(String msg, Throwable t) {
            emit(Level.INFO, msg, t);
        }
        @Override
        public boolean isWarnEnabled() {
            return enabled(Level.WARN);
        }

        @Override
        public void warn(String msg) {
            emit(Level.WARN, msg);
        }

        @Override
        public void warn(String format, Object arg) {
            emit(Level.WARN, format, arg);
        }

        @Override
        public void warn(String format, Object argA, Object argB) {
            emit(Level.WARN, format, argA, argB);
        }

        @Override
        public void warn(String format, Object... arguments) {
            emit(Level.WARN, format, arguments);
        }

        @Override
        public void warn(String msg, Throwable t) {
            emit(Level.WARN, msg, t);
        }
        @Override
        public boolean isErrorEnabled() {
            return enabled(Level.ERROR);
        }

        @Override
        public void error(String msg) {
            emit(Level.ERROR, msg);
        }

        @Override
        public void error(String format, Object arg) {
            emit(Level.ERROR, format, arg);
        }

        @Override
        public void error(String format, Object argA, Object argB) {
            emit(Level.ERROR, format, argA, argB);
        }

        @Override
        public void error(String format, Object... arguments) {
            emit(Level.ERROR, format, arguments);
        }

        @Override
        public void error(String msg, Throwable t) {
            emit(Level.ERROR, msg, t);
        }
    }
}
