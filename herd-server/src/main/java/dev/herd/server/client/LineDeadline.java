package dev.herd.server.client;

import dev.herd.server.log.ServerLog;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Closes a client that takes longer than the limit to finish a line it has started, however it
 * trickles the bytes: an idle timer is reset by any byte, so thirty connections sending one byte every
 * second and a half once held every slot. Time spent while the server itself is not reading from the
 * connection (back-pressure) does not count. One per connection, in front of the framer.
 */
final class LineDeadline extends ChannelDuplexHandler {
    private static final ServerLog LOG = ServerLog.of(LineDeadline.class);
    private final long limitNanos;
    /** When the line in progress started; -1 when no line is in progress. */
    private long startedNanos = -1;
    private ScheduledFuture<?> check;

    LineDeadline(long limitMillis) {
        this.limitNanos = TimeUnit.MILLISECONDS.toNanos(limitMillis);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf && buf.isReadable()) {
            int lastNewline = buf.forEachByteDesc(b -> b != '\n');
            boolean endsALine = lastNewline == buf.writerIndex() - 1;
            if (endsALine) {
                startedNanos = -1;
            } else if (lastNewline >= 0 || startedNanos < 0) {
                // A new line begins after the last newline of this read (or with it, if none was in progress).
                startedNanos = ctx.executor().ticker().nanoTime();
                scheduleCheck(ctx, limitNanos);
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void scheduleCheck(ChannelHandlerContext ctx, long delayNanos) {
        if (check != null) {
            check.cancel(false);
        }
        check = ctx.executor().schedule(() -> expire(ctx), delayNanos, TimeUnit.NANOSECONDS);
    }

    private void expire(ChannelHandlerContext ctx) {
        if (startedNanos < 0 || !ctx.channel().isOpen()) {
            return;
        }
        if (!ctx.channel().config().isAutoRead()) {
            // The server is not reading from it: the rest of the line may be waiting in the socket.
            startedNanos = ctx.executor().ticker().nanoTime();
            scheduleCheck(ctx, limitNanos);
            return;
        }
        long left = limitNanos - (ctx.executor().ticker().nanoTime() - startedNanos);
        if (left > 0) {
            scheduleCheck(ctx, left);
            return;
        }
        LOG.info("{}: did not finish a line within {} ms; closing", ctx.channel().remoteAddress(),
                TimeUnit.NANOSECONDS.toMillis(limitNanos));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
        }
        ctx.fireChannelInactive();
    }
}
