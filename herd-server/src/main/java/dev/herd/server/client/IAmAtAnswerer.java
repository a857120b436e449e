package dev.herd.server.client;

import dev.herd.protocol.At;
import dev.herd.protocol.Command;
import dev.herd.protocol.IAmAt;
import dev.herd.protocol.Invalid;
import dev.herd.protocol.MessageFormatter;
import dev.herd.protocol.TimeDiff;
import dev.herd.server.store.LocationStore;
import dev.herd.server.store.Updates;
import io.netty.channel.ChannelHandlerContext;
import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Instant;

/**
 * Answers IAMAT: admits it (id length, clock skew, a journal that can write), makes the AT record with
 * this server's time difference, hands it to {@link Updates} and replies with the record once it is
 * flooded and journaled. Shared by every connection; state is in {@link ConnectionState}.
 */
final class IAmAtAnswerer {
    private final String name;
    private final Updates updates;
    private final Clock clock;
    private final ClientHandler.Admission admission;
    private final ClientExchanges exchanges;

    IAmAtAnswerer(String name, Updates updates, Clock clock, ClientHandler.Admission admission, ClientExchanges exchanges) {
        this.name = name;
        this.updates = updates;
        this.clock = clock;
        this.admission = admission;
        this.exchanges = exchanges;
    }

    void answer(ChannelHandlerContext ctx, ConnectionState state, IAmAt iamat) {
        long start = System.nanoTime();
        Instant now = clock.instant();
        String refusal = refusal(iamat, now);
        if (refusal != null) {
            refuse(ctx, state, iamat, refusal);
            exchanges.took(Command.IAMAT, start);
            return;
        }
        At record = At.of(name, TimeDiff.between(now.getEpochSecond(), now.getNano(), iamat.time()),
                iamat.clientId(), iamat.location(), iamat.time());
        // The reply waits (in its place in line) until the record is on its way to every peer whose
        // link is up, and on disk with a data dir: a client told "AT" that asks a neighbour at once
        // finds the record there, and a record acknowledged survives a crash.
        PendingAt reply = new PendingAt(ctx, state, record, iamat, exchanges, start);
        LocationStore.Outcome outcome = updates.accept(record, null, reply);
        switch (outcome) {
            case FULL -> {
                refuse(ctx, state, iamat, "store full");
                exchanges.took(Command.IAMAT, start);
            }
            case KEPT -> {
                reply.arm();
                exchanges.answered(ctx, state, iamat, record, null);
            }
            case NOT_NEWER -> {
                state.reply(ctx, record);
                exchanges.answered(ctx, state, iamat, record, "not newer than the stored record: kept that one");
                exchanges.took(Command.IAMAT, start);
            }
        }
    }

    /** Why this IAMAT is refused though it parses, or null. */
    private @Nullable String refusal(IAmAt iamat, Instant now) {
        if (iamat.clientId().length() > admission.maxIdLength()) {
            return "client id longer than " + admission.maxIdLength() + " bytes";
        }
        if (admission.maxAheadMillis() > 0
                && iamat.time().seconds() - now.getEpochSecond() > admission.maxAheadMillis() / 1000) {
            return "time more than " + admission.maxAheadMillis() + " ms ahead of the server's clock";
        }
        return updates.refusal();
    }

    /** Answers a well-formed IAMAT the server will not store with {@code ? } and the line, as any refused line. */
    private void refuse(ChannelHandlerContext ctx, ConnectionState state, IAmAt iamat, String why) {
        Invalid refusal = new Invalid(MessageFormatter.lineOf(iamat), why);
        state.reply(ctx, refusal);
        exchanges.answered(ctx, state, iamat, refusal, why);
    }
}
