package dev.herd.server;

import dev.herd.protocol.Message;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.AttributeKey;

import java.util.ArrayDeque;

/**
 * What the server knows about one connection: whether it opened as a peer link, and the replies it
 * still owes, in the order of the lines that asked for them. Confined to the channel's event loop.
 */
final class ConnectionState {
    static final AttributeKey<ConnectionState> KEY = AttributeKey.valueOf(ConnectionState.class, "state");

    /** The peer this connection comes from, once its greeting was accepted; null for a client. */
    private String peer;
    private long lines;
    private boolean inputClosed;
    /** Replies owed, oldest first; a slot with no message yet waits for its asynchronous answer. */
    private final ArrayDeque<Slot> owed = new ArrayDeque<>();

    String peer() {
        return peer;
    }

    void becomePeer(String name) {
        peer = name;
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
