package dev.herd.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.protocol.At;
import dev.herd.protocol.IAmAt;
import dev.herd.protocol.Invalid;
import dev.herd.protocol.Message;
import dev.herd.protocol.MessageFormatter;
import dev.herd.protocol.PlacesReply;
import dev.herd.protocol.TimeDiff;
import dev.herd.protocol.WhatsAt;
import dev.herd.server.admin.HerdMetrics;
import dev.herd.server.admin.HerdMetrics.Command;
import dev.herd.server.log.ProtocolLog;
import dev.herd.server.log.ServerLog;
import dev.herd.server.peer.Peers;
import dev.herd.server.places.Places;
import dev.herd.server.places.PlacesJson;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Answers clients: IAMAT (store, reply, flood what is new) and WHATSAT (the stored record and the
 * Places answer); any other line is refused with {@code ? } and the line. Peers never reach it: they
 * link to the peer port ({@link dev.herd.server.peer.InboundPeerHandler}). It holds only shared
 * collaborators, so one instance serves every client; per-connection state is in {@link ConnectionState}.
 */
@Sharable
final class ClientHandler extends SimpleChannelInboundHandler<Message> {
    private static final ServerLog LOG = ServerLog.of(ClientHandler.class);
    /** The server is stopping: read no more, answer what is owed (Places waits cut short), then close. */
    static final Object DRAIN = new Object();

    private final String name;
    private final LocationStore store;
    private final Peers flooder;
    private final Places places;
    private final Clock clock;
    private final long placesDeadlineMillis;
    /** Null without a data dir; with one, an IAMAT is acknowledged once its record is written. */
    private volatile Journal journal;
    private final HerdMetrics metrics;
    private final ProtocolLog lines;
    private final PeerSync peerSync;
    private final Admission admission;

    /**
     * What an IAMAT must meet besides the protocol's syntax: an id no longer than {@code maxIdLength}
     * bytes, and (unless {@code maxAheadMillis} is 0) a time no further ahead of this server's clock.
     */
    record Admission(int maxIdLength, long maxAheadMillis, int placesShare) {
        static final Admission PROTOCOL_ONLY = new Admission(Integer.MAX_VALUE, 0, Integer.MAX_VALUE);

        /** A connection's share of the server's Places queries: a sixteenth, at least one. */
        static int placesShare(int placesConcurrency) {
            return Math.max(1, placesConcurrency / 16);
        }
    }

    ClientHandler(String name, LocationStore store, Peers flooder, Places places, Clock clock, Duration placesDeadline) {
        this(name, store, flooder, places, clock, placesDeadline, new HerdMetrics("offline"), ProtocolLog.off(),
                PeerSync.DONE, Admission.PROTOCOL_ONLY);
    }

    ClientHandler(String name, LocationStore store, Peers flooder, Places places, Clock clock,
                  Duration placesDeadline, HerdMetrics metrics, ProtocolLog lines, PeerSync peerSync, Admission admission) {
        this.admission = admission;
        this.peerSync = peerSync;
        this.metrics = metrics;
        this.name = name;
        this.store = store;
        this.flooder = flooder;
        this.places = places;
        this.clock = clock;
        this.lines = lines;
        // A last guard behind the source's own timeout, so no WHATSAT can leave its connection waiting.
        this.placesDeadlineMillis = placesDeadline.toMillis() + 1000;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
        ConnectionState state = ctx.channel().attr(ConnectionState.KEY).get();
        if (state.mustWait(ctx, msg, admission.placesShare())) {
            state.hold(msg);
            return;
        }
        handle(ctx, state, msg);
    }

    /** Starts the lines that waited, in order, as far as the connection's budgets allow now. */
    private void startHeld(ChannelHandlerContext ctx, ConnectionState state) {
        boolean started = false;
        for (Message next; (next = state.nextHeld(ctx, admission.placesShare())) != null; ) {
            handle(ctx, state, next);
            started = true;
        }
        if (started) {
            state.flush(ctx);
        }
        state.resumeIfCaughtUp(ctx);
    }

    private void handle(ChannelHandlerContext ctx, ConnectionState state, Message msg) {
        if (msg instanceof IAmAt iamat) {
            onIAmAt(ctx, state, iamat);
        } else if (msg instanceof WhatsAt whatsat) {
            onWhatsAt(ctx, state, whatsat);
        } else {
            // The client codec decodes every other line as Invalid (or TooLongLine): its reply is the echo.
            metrics.line(Command.of(msg), false);
            metrics.reply(HerdMetrics.Reply.INVALID);
            state.reply(ctx, msg);
            if (lines.enabled()) {
                lines.begin().text(state.who(ctx)).text(" <- ").received(msg).text(" => ").sent(msg).end();
            }
        }
    }

    /** From now on, acknowledge IAMATs once {@code durable} has written their records. */
    void journal(Journal durable) {
        this.journal = durable;
    }

    private void onIAmAt(ChannelHandlerContext ctx, ConnectionState state, IAmAt iamat) {
        Instant now = clock.instant();
        String refusal = refusal(iamat, now);
        if (refusal != null) {
            refuse(ctx, state, iamat, refusal);
            return;
        }
        At record = At.of(name, TimeDiff.between(now.getEpochSecond(), now.getNano(), iamat.time()),
                iamat.clientId(), iamat.location(), iamat.time());
        LocationStore.Outcome outcome = store.put(record);
        if (outcome == LocationStore.Outcome.FULL) {
            long refused = store.refusedFull();
            if (refused % 1000 == 1) {
                LOG.warn("store full ({} bytes of records, the limit; --max-store-bytes sets it): new client ids are"
                        + " refused ({} so far); known clients are still served", store.bytes(), refused);
            }
            refuse(ctx, state, iamat, "store full");
            return;
        }
        boolean newer = outcome == LocationStore.Outcome.KEPT;
        metrics.line(Command.IAMAT, true);
        metrics.reply(HerdMetrics.Reply.AT);
        if (newer) {
            metrics.stored(record, null);
            // The reply waits (in its place in line) until the record is on its way to every peer whose
            // link is up, and on disk with a data dir: a client told "AT" that asks a neighbour at once
            // finds the record there, and a record acknowledged survives a crash.
            AfterFloodAndJournal reply = new AfterFloodAndJournal(ctx, state, record, iamat);
            Journal durable = journal;
            if (durable != null) {
                reply.expect();
                durable.barrier().whenComplete((done, failed) -> {
                    if (failed != null) {
                        reply.fail("journal cannot be written: " + failed.getMessage());
                    }
                    reply.run();
                });
            }
            reply.expect();
            if (!flooder.flood(record, null, reply)) {
                reply.unexpect();
            }
            reply.arm();
        } else {
            state.reply(ctx, record);
        }
        if (lines.enabled()) {
            lines.begin().text(state.who(ctx)).text(" <- ").received(iamat).text(" => ").sent(record)
                    .text(newer ? "" : "   [not newer than the stored record: kept that one]").end();
        }
    }

    /** Why this IAMAT is refused though it parses, or null. */
    private String refusal(IAmAt iamat, Instant now) {
        if (iamat.clientId().length() > admission.maxIdLength()) {
            return "client id longer than " + admission.maxIdLength() + " bytes";
        }
        if (admission.maxAheadMillis() > 0
                && iamat.time().seconds() - now.getEpochSecond() > admission.maxAheadMillis() / 1000) {
            return "time more than " + admission.maxAheadMillis() + " ms ahead of the server's clock";
        }
        Journal durable = journal;
        if (durable != null && durable.failure() != null) {
            return "journal cannot be written: " + durable.failure();
        }
        return null;
    }

    /** Answers a well-formed IAMAT the server will not store with {@code ? } and the line, as any refused line. */
    private void refuse(ChannelHandlerContext ctx, ConnectionState state, IAmAt iamat, String why) {
        Invalid refusal = new Invalid(MessageFormatter.lineOf(iamat), why);
        metrics.line(Command.IAMAT, false);
        metrics.reply(HerdMetrics.Reply.INVALID);
        state.reply(ctx, refusal);
        if (lines.enabled()) {
            lines.begin().text(state.who(ctx)).text(" <- ").received(iamat).text(" => ").sent(refusal)
                    .text("   [").text(why).text("]").end();
        }
    }

    private void onWhatsAt(ChannelHandlerContext ctx, ConnectionState state, WhatsAt whatsat) {
        At record = store.get(whatsat.clientId());
        if (record == null && !peerSync.isDone()) {
            // Just started: the peers may not have told this server what they hold yet. The answer waits
            // (in its place in line) until they have, or PeerSync.LIMIT.
            ConnectionState.Slot slot = state.reserve(() -> new Invalid(whatsat.line(), "unknown client"));
            peerSync.whenDone(() -> ctx.executor().execute(() -> {
                if (!slot.isFilled()) {
                    whatsAt(ctx, state, whatsat, store.get(whatsat.clientId()), slot);
                }
            }));
            return;
        }
        whatsAt(ctx, state, whatsat, record, null);
    }

    /**
     * Answers a WHATSAT about {@code record} ({@code null}: an unknown client): into {@code kept} if its
     * place in line was kept already, else in line from now.
     */
    private void whatsAt(ChannelHandlerContext ctx, ConnectionState state, WhatsAt whatsat, At record,
                         ConnectionState.Slot kept) {
        if (record == null) {
            Invalid refusal = new Invalid(whatsat.line(), "unknown client");
            metrics.line(Command.WHATSAT, false);
            metrics.reply(HerdMetrics.Reply.INVALID);
            if (kept == null) {
                state.reply(ctx, refusal);
            } else {
                state.complete(ctx, kept, refusal);
            }
            if (lines.enabled()) {
                lines.begin().text(state.who(ctx)).text(" <- ").received(whatsat).text(" => ").sent(refusal)
                        .text("   [unknown client]").end();
            }
            return;
        }
        if (lines.enabled()) {
            lines.begin().text(state.who(ctx)).text(" <- ").received(whatsat).end();
        }
        metrics.line(Command.WHATSAT, true);
        java.util.function.Supplier<Message> ifStopping = () -> new PlacesReply(record, Stopping.JSON);
        ConnectionState.Slot slot = kept == null ? state.reserve(ifStopping) : kept.ifStopping(ifStopping);
        state.placesStarted();
        // copy(): the future may be shared with other WHATSATs (cache, coalescing); the guard is ours.
        places.nearby(record.location(), whatsat.radius()).copy()
                .orTimeout(placesDeadlineMillis, TimeUnit.MILLISECONDS)
                .handle((json, err) -> PlacesJson.render(json != null ? json : deadlineMissed(err), whatsat.bound()))
                .thenAccept(text -> ctx.executor().execute(() -> answer(ctx, state, slot, record, text)));
    }

    private void answer(ChannelHandlerContext ctx, ConnectionState state, ConnectionState.Slot slot, At record, String json) {
        state.placesDone();
        if (slot.isFilled()) {
            return; // answered already: the server stopped and cut the wait short
        }
        metrics.reply(HerdMetrics.Reply.PLACES);
        if (lines.enabled()) {
            lines.begin().text(state.who(ctx)).text(" -> ").escaped(record.canonicalLine()).text(" + Places JSON (")
                    .text(Integer.toString(json.length())).text(" bytes)").end();
        }
        state.complete(ctx, slot, new PlacesReply(record, json));
        startHeld(ctx, state);
    }

    private JsonNode deadlineMissed(Throwable err) {
        LOG.warn("places source {} gave no answer in time: {}", places.describe(), err.toString());
        return PlacesJson.error("UNKNOWN_ERROR", "Places request failed: no answer in time");
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ConnectionState state = ctx.channel().attr(ConnectionState.KEY).get();
        state.flush(ctx);
        boolean wasPaused = state.isPaused();
        state.pauseIfBehind(ctx);
        Journal durable = journal;
        if (durable != null && !state.isPaused()) {
            durable.pushBack(ctx.channel());
        }
        if (!wasPaused && state.isPaused()) {
            LOG.info("{}: not reading its replies (or owes too many); reading from it paused until it catches up",
                    ctx.channel().remoteAddress());
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ctx.channel().attr(ConnectionState.KEY).get().release();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            startHeld(ctx, ctx.channel().attr(ConnectionState.KEY).get());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        ConnectionState state = ctx.channel().attr(ConnectionState.KEY).get();
        if (evt == DRAIN) {
            // Stopping: every WHATSAT still waiting for Places is answered now, with the error a failed
            // query gets, so that nothing owed holds the stop up.
            ctx.channel().config().setAutoRead(false);
            state.cutShort(ctx);
            state.inputClosed(ctx);
            return;
        }
        if (evt instanceof ChannelInputShutdownEvent) {
            state.inputClosed(ctx);
        } else if (evt instanceof IdleStateEvent && state.owesNothing()) {
            // A client that says nothing and is owed nothing is gone.
            LOG.info("{}: idle past the timeout; closing", ctx.channel().remoteAddress());
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ChannelErrors.logAndClose(LOG, "connection", ctx, cause);
    }

    /** What a WHATSAT still waiting for Places gets when the server stops; built on first use, off the start-up path. */
    private static final class Stopping {
        static final String JSON = PlacesJson.render(PlacesJson.failure("the server is stopping"), 1);
    }

    /**
     * The reply to an IAMAT whose record must first be flooded (handed to each link's socket) and
     * journaled: counts what it waits for and writes the reply, in its place in line, when all is done.
     * With nothing to wait for it is written at once, without a reserved place. Created and armed on
     * the connection's loop; the waits end on any thread.
     */
    private static final class AfterFloodAndJournal implements Runnable {
        private final ChannelHandlerContext ctx;
        private final ConnectionState state;
        private final At record;
        private final IAmAt iamat;
        /** One for each wait, and one until armed, so that nothing completes before the place is kept. */
        private final java.util.concurrent.atomic.AtomicInteger waits = new java.util.concurrent.atomic.AtomicInteger(1);
        private ConnectionState.Slot slot;
        /** Why the record could not be made durable; the reply is then a refusal, never the AT. */
        private volatile String failure;

        AfterFloodAndJournal(ChannelHandlerContext ctx, ConnectionState state, At record, IAmAt iamat) {
            this.iamat = iamat;
            this.ctx = ctx;
            this.state = state;
            this.record = record;
        }

        void expect() {
            waits.incrementAndGet();
        }

        void unexpect() {
            waits.decrementAndGet();
        }

        /** The journal could not write the record: the client gets {@code ? } and its line, not the AT. */
        void fail(String why) {
            failure = why;
        }

        /** Called once the waits are set up: replies now if there are none, else keeps the reply's place. */
        void arm() {
            if (waits.get() == 1) {
                state.reply(ctx, record);
                return;
            }
            // If the server stops first, the reply is the record itself: it is stored, and its flood under way.
            slot = state.reserve(() -> record);
            run();
        }

        /** One wait is over. */
        @Override
        public void run() {
            if (waits.decrementAndGet() == 0) {
                ctx.executor().execute(() -> {
                    if (!slot.isFilled()) {
                        String why = failure;
                        state.complete(ctx, slot, why == null ? record
                                : new Invalid(MessageFormatter.lineOf(iamat), why));
                    }
                });
            }
        }
    }
}
