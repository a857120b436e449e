package dev.herd.server.client;

import dev.herd.protocol.IAmAt;
import dev.herd.protocol.Message;
import dev.herd.protocol.WhatsAt;
import dev.herd.server.internal.ChannelErrors;
import dev.herd.server.log.ProtocolLog;
import dev.herd.server.log.ServerLog;
import dev.herd.server.metrics.HerdMetrics;
import dev.herd.server.places.Places;
import dev.herd.server.store.Updates;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;

import java.time.Clock;
import java.time.Duration;

/**
 * Answers clients, in order: IAMAT ({@link IAmAtAnswerer}), WHATSAT ({@link WhatsAtAnswerer}); any other
 * line is refused with {@code ? } and the line. It holds back lines while the client does not read its
 * replies or has its share of Places queries in flight. Peers never reach it: they link to the peer
 * port. It holds only shared collaborators, so one instance serves every client; per-connection state is
 * in {@link ConnectionState}.
 */
@Sharable
public final class ClientHandler extends SimpleChannelInboundHandler<Message> {
    private static final ServerLog LOG = ServerLog.of(ClientHandler.class);
    /** The server is stopping: read no more, answer what is owed (Places waits cut short), then close. */
    public static final Object DRAIN = new Object();

    private final Updates updates;
    private final Admission admission;
    private final ClientExchanges exchanges;
    private final IAmAtAnswerer iamats;
    private final WhatsAtAnswerer whatsats;

    /**
     * What an IAMAT must meet besides the protocol's syntax: an id no longer than {@code maxIdLength}
     * bytes, and (unless {@code maxAheadMillis} is 0) a time no further ahead of this server's clock; and
     * how many Places queries one connection may have in flight.
     */
    public record Admission(int maxIdLength, long maxAheadMillis, int placesShare) {
        public static final Admission PROTOCOL_ONLY = new Admission(Integer.MAX_VALUE, 0, Integer.MAX_VALUE);

        /** A connection's share of the server's Places queries: a sixteenth, at least one. */
        public static int placesShare(int placesConcurrency) {
            return Math.max(1, placesConcurrency / 16);
        }
    }

    /** What answering clients takes: the server's name, its updates, its Places source and its clock. */
    public record Services(String name, Updates updates, Places places, Clock clock, Duration placesDeadline) {
    }

    /** A handler with no limits beyond the protocol's, no metrics and no protocol log (benchmarks, tests). */
    public ClientHandler(Services services) {
        this(services, new HerdMetrics("offline"), ProtocolLog.off(), PeerSync.DONE, Admission.PROTOCOL_ONLY);
    }

    public ClientHandler(Services services, HerdMetrics metrics, ProtocolLog lines, PeerSync peerSync, Admission admission) {
        this.updates = services.updates();
        this.admission = admission;
        this.exchanges = new ClientExchanges(metrics, lines);
        this.iamats = new IAmAtAnswerer(services.name(), updates, services.clock(), admission, exchanges);
        this.whatsats = new WhatsAtAnswerer(updates.store(), services.places(), services.placesDeadline(), peerSync,
                exchanges);
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
            iamats.answer(ctx, state, iamat);
        } else if (msg instanceof WhatsAt whatsat) {
            whatsats.answer(ctx, state, whatsat, () -> startHeld(ctx, state));
        } else {
            // The client codec decodes every other line as Invalid (or TooLongLine): its reply is the echo.
            state.reply(ctx, msg);
            exchanges.answered(ctx, state, msg, msg, null);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ConnectionState state = ctx.channel().attr(ConnectionState.KEY).get();
        state.flush(ctx);
        boolean wasPaused = state.isPaused();
        state.pauseIfBehind(ctx);
        if (!state.isPaused()) {
            updates.pushBack(ctx.channel());
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
}
