package dev.herd.server.client;

import dev.herd.protocol.Message;

import java.util.function.Supplier;

/** One owed reply. */
final class ReplySlot {
    Message reply;
    Supplier<Message> ifStopping;

    /** What this place gets if the server stops before its reply is known; returns this slot. */
    ReplySlot ifStopping(Supplier<Message> standIn) {
        this.ifStopping = standIn;
        return this;
    }

    /** Whether the reply is known (it may still wait for earlier ones). */
    boolean isFilled() {
        return reply != null;
    }

    ReplySlot(Message reply) {
        this.reply = reply;
    }
}
