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

    /** One Netty logger, named as Netty names it. */
    private static final class Logger extends AbstractInternalLogger {
        private static final long serialVersionUID = 1L;
        private final transient ServerLog log;

        Logger(String name) {
            super(name);
            this.log = ServerLog.named(name);
        }

        @Override
        public boolean isTraceEnabled() {
            return false;
        }

        @Override
        public void trace(String msg) {
            if (isTraceEnabled()) {
                log.debug(msg);
            }
        }

        @Override
        public void trace(String format, Object arg) {
            if (isTraceEnabled()) {
                log.debug(format, arg);
            }
        }

        @Override
        public void trace(String format, Object argA, Object argB) {
            if (isTraceEnabled()) {
                log.debug(format, argA, argB);
            }
        }

        @Override
        public void trace(String format, Object... arguments) {
            if (isTraceEnabled()) {
                log.debug(format, arguments);
            }
        }

        @Override
        public void trace(String msg, Throwable t) {
            if (isTraceEnabled()) {
                log.debug(msg, t);
            }
        }
        @Override
        public boolean isDebugEnabled() {
            return log.isDebugEnabled();
        }

        @Override
        public void debug(String msg) {
            if (isDebugEnabled()) {
                log.debug(msg);
            }
        }

        @Override
        public void debug(String format, Object arg) {
            if (isDebugEnabled()) {
                log.debug(format, arg);
            }
        }

        @Override
        public void debug(String format, Object argA, Object argB) {
            if (isDebugEnabled()) {
                log.debug(format, argA, argB);
            }
        }

        @Override
        public void debug(String format, Object... arguments) {
            if (isDebugEnabled()) {
                log.debug(format, arguments);
            }
        }

        @Override
        public void debug(String msg, Throwable t) {
            if (isDebugEnabled()) {
                log.debug(msg, t);
            }
        }
        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public void info(String msg) {
            if (isInfoEnabled()) {
                log.info(msg);
            }
        }

        @Override
        public void info(String format, Object arg) {
            if (isInfoEnabled()) {
                log.info(format, arg);
            }
        }

        @Override
        public void info(String format, Object argA, Object argB) {
            if (isInfoEnabled()) {
                log.info(format, argA, argB);
            }
        }

        @Override
        public void info(String format, Object... arguments) {
            if (isInfoEnabled()) {
                log.info(format, arguments);
            }
        }

        @Override
        public void info(String msg, Throwable t) {
            if (isInfoEnabled()) {
                log.info(msg, t);
            }
        }
        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public void warn(String msg) {
            if (isWarnEnabled()) {
                log.warn(msg);
            }
        }

        @Override
        public void warn(String format, Object arg) {
            if (isWarnEnabled()) {
                log.warn(format, arg);
            }
        }

        @Override
        public void warn(String format, Object argA, Object argB) {
            if (isWarnEnabled()) {
                log.warn(format, argA, argB);
            }
        }

        @Override
        public void warn(String format, Object... arguments) {
            if (isWarnEnabled()) {
                log.warn(format, arguments);
            }
        }

        @Override
        public void warn(String msg, Throwable t) {
            if (isWarnEnabled()) {
                log.warn(msg, t);
            }
        }
        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        public void error(String msg) {
            if (isErrorEnabled()) {
                log.error(msg);
            }
        }

        @Override
        public void error(String format, Object arg) {
            if (isErrorEnabled()) {
                log.error(format, arg);
            }
        }

        @Override
        public void error(String format, Object argA, Object argB) {
            if (isErrorEnabled()) {
                log.error(format, argA, argB);
            }
        }

        @Override
        public void error(String format, Object... arguments) {
            if (isErrorEnabled()) {
                log.error(format, arguments);
            }
        }

        @Override
        public void error(String msg, Throwable t) {
            if (isErrorEnabled()) {
                log.error(msg, t);
            }
        }
    }
}
