package dev.herd.server;

import dev.herd.protocol.Message;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.AttributeKey;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * What the server knows about one connection: whether it opened as a peer link, and the replies it
 * still owes, in the order of the lines that asked for them. Confined to the channel's event loop.
 *
 * <p>It also keeps the connection's memory bounded: the server stops reading from a client that owes
 * it too many replies or does not read what it is sent (the channel is not writable), and reads again
 * once it has caught up, so a client can slow only itself.
 */
final class ConnectionState {
    static final AttributeKey<ConnectionState> KEY = AttributeKey.valueOf(ConnectionState.class, "state");

    /** The peer this connection comes from, once its greeting was accepted; null for a client. */
    private String peer;
    private long lines;
    private boolean inputClosed;
    /** Replies owed, oldest first; a slot with no message yet waits for its asynchronous answer. */
    private final ArrayDeque<Slot> owed = new ArrayDeque<>();
    private final int maxOwed;
    private boolean paused;
    /** Counts pauses, so that a stall check only acts on the pause that scheduled it. */
    private long pauses;
    /** How long a paused client may stay behind before it is closed. */
    static final long STALL_LIMIT_SECONDS = 60;
    private static final Logger LOG = LogManager.getLogger(ConnectionState.class);

    /** @param maxOwed replies owed at which reading stops until some are answered */
    ConnectionState(int maxOwed) {
        this.maxOwed = maxOwed;
    }

    /** The peer that greeted and must now answer {@link #nonce}, or null. */
    private String greeted;
    private String nonce;

    String peer() {
        return peer;
    }

    void expectProof(String name, String challenge) {
        greeted = name;
        nonce = challenge;
    }

    String greeted() {
        return greeted;
    }

    String nonce() {
        return nonce;
    }

    void becomePeer(String name) {
        peer = name;
        greeted = null;
        nonce = null;
    }

    /** Counts a line; true if it is the connection's first. */
    boolean firstLine() {
        return lines++ == 0;
    }

    /** Writes a reply now, or after the replies still owed before it. */
    void reply(ChannelHandlerContext ctx, Message reply) {
        if (owed.isEmpty()) {
            ctx.write(reply, ctx.voidPromise());
        } else {
            owed.add(new Slot(reply));
        }
    }

    /** Keeps the place of a reply that will be known later. */
    Slot reserve() {
        Slot slot = new Slot(null);
        owed.add(slot);
        return slot;
    }

    /**
     * Stops reading while the client owes too much or does not read; call after writing. A client
     * still not caught up after {@code STALL_LIMIT} is closed: the hard limit.
     */
    void pauseIfBehind(ChannelHandlerContext ctx) {
        if (!paused && (owed.size() >= maxOwed || !ctx.channel().isWritable())) {
            paused = true;
            long pause = ++pauses;
            ctx.channel().config().setAutoRead(false);
            ctx.executor().schedule(() -> {
                if (paused && pauses == pause && ctx.channel().isOpen()) {
                    LOG.warn("{}: has not read its replies for {} s; closing", ctx.channel().remoteAddress(),
                            STALL_LIMIT_SECONDS);
                    ctx.close();
                }
            }, STALL_LIMIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Reads again once the client has caught up. */
    void resumeIfCaughtUp(ChannelHandlerContext ctx) {
        if (paused && owed.size() < maxOwed / 2 + 1 && ctx.channel().isWritable()) {
            paused = false;
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    boolean owesNothing() {
        return owed.isEmpty();
    }

    boolean isPaused() {
        return paused;
    }

    /** Fills a reserved place and writes every reply that is now next in line. */
    void complete(ChannelHandlerContext ctx, Slot slot, Message reply) {
        slot.reply = reply;
        boolean wrote = false;
        while (!owed.isEmpty() && owed.peek().reply != null) {
            ctx.write(owed.poll().reply, ctx.voidPromise());
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
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
        if (inputClosed && owed.isEmpty() && ctx.channel().isOpen()) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** One owed reply. */
    static final class Slot {
        private Message reply;

        private Slot(Message reply) {
            this.reply = reply;
        }
    }
}
