package dev.herd.server.internal;

import dev.herd.server.log.ServerLog;
import io.netty.channel.ChannelHandlerContext;

import java.io.IOException;

/** How every handler ends a connection that failed: quietly for network errors, loudly for bugs. */
public final class ChannelErrors {
    private ChannelErrors() {
    }

    /**
     * Logs {@code cause} for the connection (resets and broken pipes are routine, so DEBUG; anything
     * else is a fault worth a WARN with its stack) and closes it. Nothing is written to the peer.
     */
    public static void logAndClose(ServerLog log, String what, ChannelHandlerContext ctx, Throwable cause) {
        Fatal.haltIfFatal(cause);
        if (cause instanceof IOException) {
            log.debug("{} {}: {}", what, ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("{} {}: closing after unexpected error", what, ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
