package dev.herd.server.client;

import dev.herd.protocol.At;
import dev.herd.protocol.Command;
import dev.herd.protocol.IAmAt;
import dev.herd.protocol.Invalid;
import dev.herd.protocol.Message;
import dev.herd.protocol.MessageFormatter;
import dev.herd.server.store.Updates;
import io.netty.channel.ChannelHandlerContext;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The AT reply to an IAMAT whose record is being flooded and journaled: written, in its place in line,
 * once {@link Updates} says the record is on its way to every peer whose link is up and on disk. When
 * that is known before {@link #arm} (no peer up, no journal) the reply is written at once, with no
 * place reserved. Created and armed on the connection's loop; {@link #done} comes on any thread.
 */
// Extends AtomicReference rather than holding one: one object per IAMAT instead of two, on the hot path.
@SuppressWarnings("serial")
final class PendingAt extends AtomicReference<@Nullable Object> implements Updates.Acknowledgement {
    /** Stands for "done, without a failure" in {@link #state}. */
    private static final String SUCCEEDED = "";

    private final ChannelHandlerContext ctx;
    private final ConnectionState state;
    private final At record;
    private final IAmAt iamat;
    private final ClientExchanges exchanges;
    /** When the IAMAT was read ({@link System#nanoTime}): its reply's time is measured from there. */
    private final long start;
    // The reference is null until one of done() and arm() happens; then the failure (or SUCCEEDED) if
    // done() came first, or the reserved slot if arm() did.

    PendingAt(ChannelHandlerContext ctx, ConnectionState state, At record, IAmAt iamat, ClientExchanges exchanges, long start) {
        this.ctx = ctx;
        this.state = state;
        this.record = record;
        this.iamat = iamat;
        this.exchanges = exchanges;
        this.start = start;
    }

    @Override
    public void done(@Nullable String failure) {
        Object outcome = failure == null ? SUCCEEDED : failure;
        if (compareAndSet(null, outcome)) {
            return; // before arm(): arm() writes the reply
        }
        ReplySlot slot = (ReplySlot) get();
        ctx.executor().execute(() -> fill(slot, outcome));
    }

    /** Called once {@link Updates#accept} has returned: replies now if all is done, else keeps the reply's place. */
    void arm() {
        Object early = get();
        if (early != null) {
            state.reply(ctx, replyFor(early));
            exchanges.took(Command.IAMAT, start);
            return;
        }
        // If the server stops first, the reply is the record itself: it is stored, and its flood under way.
        ReplySlot slot = state.reserve(() -> record);
        if (!compareAndSet(null, slot)) {
            fill(slot, get()); // done() came in between, on another thread
        }
    }

    private void fill(ReplySlot slot, Object outcome) {
        if (!slot.isFilled()) {
            state.complete(ctx, slot, replyFor(outcome));
            exchanges.took(Command.IAMAT, start);
        }
    }

    private Message replyFor(Object outcome) {
        return outcome == SUCCEEDED ? record : new Invalid(MessageFormatter.lineOf(iamat), (String) outcome);
    }
}
