package dev.herd.server.client;

import dev.herd.protocol.Message;
import dev.herd.protocol.MessageFormatter;
import dev.herd.protocol.WhatsAt;
import dev.herd.server.log.ServerLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.AttributeKey;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the server knows about one client connection: the replies it still owes, in the order of the
 * lines that asked for them. Confined to the channel's event loop.
 *
 * <p>It also keeps the connection's memory bounded: the server stops reading from a client that owes
 * it too many replies or does not read what it is sent (the channel is not writable), and reads again
 * once it has caught up, so a client can slow only itself.
 */
final class ConnectionState {
    static final AttributeKey<ConnectionState> KEY = AttributeKey.valueOf(ConnectionState.class, "state");

    private boolean inputClosed;
    /** Replies owed, oldest first; a slot with no message yet waits for its asynchronous answer. */
    private final ArrayDeque<ReplySlot> owed = new ArrayDeque<>();
    private final int maxOwed;
    private boolean paused;
    /** Counts pauses, so that a stall check only acts on the pause that scheduled it. */
    private long pauses;
    /** How long a paused client may stay behind before it is closed. */
    static final long STALL_LIMIT_SECONDS = 60;
    private static final ServerLog LOG = ServerLog.of(ConnectionState.class);

    /**
     * Lines read but not started, oldest first: held while the client does not read its replies (the
     * channel is over its output budget) or has its share of Places queries in flight. Reading stops
     * while any wait, so this holds at most what one read brought.
     */
    private final ArrayDeque<Message> backlog = new ArrayDeque<>();
    /** WHATSATs of this connection waiting for Places. */
    private int placesInFlight;
    /** Replies formatted and not yet handed to the channel; see {@link #write}. */
    private ByteBuf batch;
    private static final int BATCH_START_BYTES = 2048;
    /** Past this, the batch is handed over at once, so the output budget sees it. */
    private static final int BATCH_BYTES = 16 * 1024;
    /** The client's address for the protocol log, once asked. */
    private String who;

    /** @param maxOwed replies owed at which reading stops until some are answered */
    ConnectionState(int maxOwed) {
        this.maxOwed = maxOwed;
    }

    /**
     * Whether {@code msg} must wait in the backlog: something waits already (order is kept), the client
     * is not reading its replies (the channel is over its output budget), or it is a WHATSAT and the
     * connection has {@code placesShare} Places queries in flight.
     */
    boolean mustWait(ChannelHandlerContext ctx, Message msg, int placesShare) {
        return !backlog.isEmpty() || !ctx.channel().isWritable()
                || msg instanceof WhatsAt && placesInFlight >= placesShare;
    }

    /** The client's address as the protocol log names it; made once per connection. */
    String who(ChannelHandlerContext ctx) {
        String w = who;
        if (w == null) {
            w = String.valueOf(ctx.channel().remoteAddress());
            who = w;
        }
        return w;
    }

    void hold(Message msg) {
        backlog.add(msg);
    }

    /** The next line to start if it may start now, else null. */
    Message nextHeld(ChannelHandlerContext ctx, int placesShare) {
        Message next = backlog.peek();
        if (next == null || !ctx.channel().isWritable()
                || next instanceof WhatsAt && placesInFlight >= placesShare) {
            return null;
        }
        return backlog.poll();
    }

    void placesStarted() {
        placesInFlight++;
    }

    void placesDone() {
        placesInFlight--;
    }

    /** Writes a reply now, or after the replies still owed before it. */
    void reply(ChannelHandlerContext ctx, Message reply) {
        if (owed.isEmpty()) {
            write(ctx, reply);
        } else {
            owed.add(new ReplySlot(reply));
        }
    }

    /**
     * Formats a reply into the connection's batch: the replies to one read go out as one buffer, one
     * entry in the channel's outbound queue, not a buffer and an entry each.
     */
    private void write(ChannelHandlerContext ctx, Message reply) {
        if (batch == null) {
            batch = ctx.alloc().ioBuffer(BATCH_START_BYTES);
        }
        MessageFormatter.write(reply, batch);
        if (batch.readableBytes() >= BATCH_BYTES) {
            writeBatch(ctx);
        }
    }

    /** Hands the batch to the channel (the output budget counts it from now on). */
    private void writeBatch(ChannelHandlerContext ctx) {
        ByteBuf out = batch;
        if (out != null) {
            batch = null;
            ctx.write(out, ctx.voidPromise());
        }
    }

    /** Writes the batch and flushes: at the end of a read, or when a reply that waited is written. */
    void flush(ChannelHandlerContext ctx) {
        writeBatch(ctx);
        ctx.flush();
    }

    /** The connection is closed: a batch not written is freed. */
    void release() {
        if (batch != null) {
            batch.release();
            batch = null;
        }
    }

    /**
     * Keeps the place of a reply that will be known later; if the server stops first,
     * {@link #cutShort} fills it with what {@code ifStopping} gives (null: it waits as usual).
     */
    ReplySlot reserve(Supplier<Message> ifStopping) {
        ReplySlot slot = new ReplySlot(null);
        slot.ifStopping = ifStopping;
        owed.add(slot);
        return slot;
    }

    /** The server is stopping: every reply still waiting that has a stand-in gets it now, in line order. */
    void cutShort(ChannelHandlerContext ctx) {
        for (ReplySlot slot : owed.toArray(new ReplySlot[0])) {
            if (slot.reply == null && slot.ifStopping != null) {
                complete(ctx, slot, slot.ifStopping.get());
            }
        }
    }

    /**
     * Stops reading while the client owes too much or does not read; call after writing. A client
     * still not caught up after {@code STALL_LIMIT} is closed: the hard limit.
     */
    void pauseIfBehind(ChannelHandlerContext ctx) {
        if (!paused && (owed.size() >= maxOwed || !ctx.channel().isWritable() || !backlog.isEmpty())) {
            paused = true;
            ctx.channel().config().setAutoRead(false);
            watchStall(ctx, ++pauses);
        }
    }

    /** Closes the connection if this pause lasts {@code STALL_LIMIT} while the client does not read. */
    private void watchStall(ChannelHandlerContext ctx, long pause) {
        ctx.executor().schedule(() -> {
            if (!paused || pauses != pause || !ctx.channel().isOpen()) {
                return;
            }
            if (ctx.channel().isWritable() && owed.size() < maxOwed) {
                // Paused while its WHATSATs wait their share of Places: the server's pace, not the client's fault.
                watchStall(ctx, pause);
                return;
            }
            LOG.warn("{}: has not read its replies for {} s; closing", ctx.channel().remoteAddress(), STALL_LIMIT_SECONDS);
            ctx.close();
        }, STALL_LIMIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Reads again once the client has caught up. */
    void resumeIfCaughtUp(ChannelHandlerContext ctx) {
        if (paused && owed.size() < maxOwed / 2 + 1 && ctx.channel().isWritable() && backlog.isEmpty()) {
            paused = false;
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    boolean owesNothing() {
        return owed.isEmpty() && backlog.isEmpty();
    }

    boolean isPaused() {
        return paused;
    }

    /** Fills a reserved place and writes every reply that is now next in line. */
    void complete(ChannelHandlerContext ctx, ReplySlot slot, Message reply) {
        slot.reply = reply;
        boolean wrote = false;
        while (!owed.isEmpty() && owed.peek().reply != null) {
            write(ctx, owed.poll().reply);
            wrote = true;
        }
        if (wrote) {
            flush(ctx);
        }
        resumeIfCaughtUp(ctx);
        closeIfDone(ctx);
    }

    /** The client shut down its side: answer what is owed, then close. */
    void inputClosed(ChannelHandlerContext ctx) {
        inputClosed = true;
        closeIfDone(ctx);
    }

    private void closeIfDone(ChannelHandlerContext ctx) {
        if (inputClosed && owed.isEmpty() && backlog.isEmpty() && ctx.channel().isOpen()) {
            writeBatch(ctx);
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

}
