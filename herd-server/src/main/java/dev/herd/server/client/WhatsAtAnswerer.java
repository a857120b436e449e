package dev.herd.server.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.protocol.At;
import dev.herd.protocol.Command;
import dev.herd.protocol.Invalid;
import dev.herd.protocol.Message;
import dev.herd.protocol.PlacesReply;
import dev.herd.protocol.WhatsAt;
import dev.herd.server.log.ServerLog;
import dev.herd.server.places.Places;
import dev.herd.server.places.PlacesJson;
import dev.herd.server.store.LocationStore;
import io.netty.channel.ChannelHandlerContext;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Answers WHATSAT: the stored record of the client asked about and the Places source's answer near it,
 * in the WHATSAT's place in line; {@code ? } and the line for a client nobody has heard of. Shared by
 * every connection; state is in {@link ConnectionState}.
 */
final class WhatsAtAnswerer {
    private static final ServerLog LOG = ServerLog.of(WhatsAtAnswerer.class);

    private final LocationStore store;
    private final Places places;
    private final long placesDeadlineMillis;
    private final PeerSync peerSync;
    private final ClientExchanges exchanges;

    WhatsAtAnswerer(LocationStore store, Places places, Duration placesDeadline, PeerSync peerSync,
                    ClientExchanges exchanges) {
        this.store = store;
        this.places = places;
        // A last guard behind the source's own timeout, so no WHATSAT can leave its connection waiting.
        this.placesDeadlineMillis = placesDeadline.toMillis() + 1000;
        this.peerSync = peerSync;
        this.exchanges = exchanges;
    }

    /**
     * Starts answering {@code whatsat}; the reply is written when Places answers, and the connection's
     * held lines are started then through {@code next}.
     */
    void answer(ChannelHandlerContext ctx, ConnectionState state, WhatsAt whatsat, Runnable next) {
        long start = System.nanoTime();
        At record = store.get(whatsat.clientId());
        if (record == null && !peerSync.isDone()) {
            // Just started: the peers may not have told this server what they hold yet. The answer waits
            // (in its place in line) until they have, or PeerSync.LIMIT.
            ReplySlot slot = state.reserve(() -> new Invalid(whatsat.line(), "unknown client"));
            peerSync.whenDone(() -> ctx.executor().execute(() -> {
                if (!slot.isFilled()) {
                    answer(ctx, state, whatsat, store.get(whatsat.clientId()), slot, next, start);
                }
            }));
            return;
        }
        answer(ctx, state, whatsat, record, null, next, start);
    }

    /**
     * Answers a WHATSAT about {@code record} ({@code null}: an unknown client): into {@code kept} if its
     * place in line was kept already, else in line from now.
     */
    private void answer(ChannelHandlerContext ctx, ConnectionState state, WhatsAt whatsat, @Nullable At record,
                        @Nullable ReplySlot kept, Runnable next, long start) {
        if (record == null) {
            Invalid refusal = new Invalid(whatsat.line(), "unknown client");
            if (kept == null) {
                state.reply(ctx, refusal);
            } else {
                state.complete(ctx, kept, refusal);
            }
            exchanges.answered(ctx, state, whatsat, refusal, "unknown client");
            exchanges.took(Command.WHATSAT, start);
            return;
        }
        exchanges.asked(ctx, state, whatsat);
        Supplier<Message> ifStopping = () -> new PlacesReply(record, Stopping.JSON);
        ReplySlot slot = kept == null ? state.reserve(ifStopping) : kept.ifStopping(ifStopping);
        state.placesStarted();
        // copy(): the future may be shared with other WHATSATs (cache, coalescing); the guard is ours.
        places.nearby(record.location(), whatsat.radius()).copy()
                .orTimeout(placesDeadlineMillis, TimeUnit.MILLISECONDS)
                .handle((json, err) -> PlacesJson.render(json != null ? json : deadlineMissed(err), whatsat.bound()))
                .thenAccept(text -> ctx.executor().execute(() -> placesAnswered(ctx, state, slot, record, text, next, start)));
    }

    private void placesAnswered(ChannelHandlerContext ctx, ConnectionState state, ReplySlot slot, At record,
                                String json, Runnable next, long start) {
        state.placesDone();
        if (slot.isFilled()) {
            return; // answered already: the server stopped and cut the wait short
        }
        exchanges.placesAnswered(ctx, state, record, json);
        state.complete(ctx, slot, new PlacesReply(record, json));
        exchanges.took(Command.WHATSAT, start);
        next.run();
    }

    private JsonNode deadlineMissed(Throwable err) {
        LOG.warn("places source {} gave no answer in time: {}", places.describe(), err.toString());
        return PlacesJson.error("UNKNOWN_ERROR", "Places request failed: no answer in time");
    }

    /** What a WHATSAT still waiting for Places gets when the server stops; built on first use, off the start-up path. */
    private static final class Stopping {
        static final String JSON = PlacesJson.render(PlacesJson.failure("the server is stopping"), 1);
    }
}
