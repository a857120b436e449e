package dev.herd.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.protocol.At;
import dev.herd.protocol.Challenge;
import dev.herd.protocol.Digest;
import dev.herd.protocol.Proof;
import dev.herd.protocol.IAmAt;
import dev.herd.protocol.Invalid;
import dev.herd.protocol.Message;
import dev.herd.protocol.PeerGreeting;
import dev.herd.protocol.PlacesReply;
import dev.herd.protocol.TimeDiff;
import dev.herd.protocol.TooLongLine;
import dev.herd.protocol.WhatsAt;
import dev.herd.server.admin.HerdMetrics;
import dev.herd.server.admin.HerdMetrics.Command;
import dev.herd.server.peer.HerdSecret;
import dev.herd.server.peer.Peers;
import dev.herd.server.places.Places;
import dev.herd.server.places.PlacesJson;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The server's protocol logic for every accepted connection: answers clients, takes updates from
 * peers, floods what is new. It holds only shared collaborators (store, flooder, Places), so one
 * instance serves every channel; per-connection state is in {@link ConnectionState}.
 */
@Sharable
final class HerdServerHandler extends SimpleChannelInboundHandler<Message> {
    private static final Logger LOG = LogManager.getLogger(HerdServerHandler.class);
    static final long PROOF_TIMEOUT_MILLIS = 5000;
    /**
     * A peer link on which nothing arrives for this long is closed: its sender probes it after 5 s of
     * its own silence, so a live link never stays quiet this long.
     */
    static final int PEER_SILENCE_SECONDS = 20;
    /** The server is stopping: read no more, answer what is owed, then close. */
    static final Object DRAIN = new Object();
    /** Every protocol line in and out, one event per exchange where the reply is immediate. */
    private static final Logger LINES = LogManager.getLogger(LogLines.LOGGER);

    private final String name;
    private final LocationStore store;
    private final Peers flooder;
    private final Places places;
    private final Clock clock;
    private final long placesDeadlineMillis;
    /** Null when the herd has no secret: peers are then taken at their word. */
    private final HerdSecret secret;
    /** Null without a data dir; with one, an IAMAT is acknowledged once its record is written. */
    private volatile Journal journal;
    private final HerdMetrics metrics;

    HerdServerHandler(String name, LocationStore store, Peers flooder, Places places, Clock clock,
                      Duration placesDeadline) {
        this(name, store, flooder, places, clock, placesDeadline, null, new HerdMetrics("offline"));
    }

    HerdServerHandler(String name, LocationStore store, Peers flooder, Places places, Clock clock,
                      Duration placesDeadline, HerdSecret secret, HerdMetrics metrics) {
        this.metrics = metrics;
        this.secret = secret;
        this.name = name;
        this.store = store;
        this.flooder = flooder;
        this.places = places;
        this.clock = clock;
        // A last guard behind the source's own timeout, so no WHATSAT can leave its connection waiting.
        this.placesDeadlineMillis = placesDeadline.toMillis() + 1000;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        LOG.debug("{} connected", ctx.channel().remoteAddress());
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
        ConnectionState state = ctx.channel().attr(ConnectionState.KEY).get();
        boolean first = state.firstLine();
        if (state.greeted() != null) {
            onProof(ctx, state, msg);
        } else if (state.peer() != null) {
            onPeerMessage(ctx, state, msg);
        } else if (msg instanceof IAmAt iamat) {
            onIAmAt(ctx, state, iamat);
        } else if (msg instanceof WhatsAt whatsat) {
            onWhatsAt(ctx, state, whatsat);
        } else if (msg instanceof PeerGreeting greeting && first && flooder.isPeer(greeting.server())) {
            onGreeting(ctx, state, greeting.server());
        } else {
            Message refusal = asInvalid(msg);
            metrics.line(Command.of(msg), false);
            metrics.reply(HerdMetrics.Reply.INVALID);
            state.reply(ctx, refusal);
            if (LINES.isInfoEnabled()) {
                LINES.info("{} <- {} => {}", ctx.channel().remoteAddress(), LogLines.received(msg), LogLines.sent(refusal));
            }
        }
    }

    /** From now on, acknowledge IAMATs once {@code durable} has written their records. */
    void journal(Journal durable) {
        this.journal = durable;
    }

    private void onGreeting(ChannelHandlerContext ctx, ConnectionState state, String peer) {
        metrics.line(Command.PEER, true);
        if (secret == null) {
            state.becomePeer(peer);
            watchSilence(ctx);
            LOG.info("peer link from {} at {} open (no herd secret: not authenticated)", peer, ctx.channel().remoteAddress());
            sendDigest(ctx);
            return;
        }
        String nonce = secret.newNonce();
        state.expectProof(peer, nonce);
        ctx.writeAndFlush(Challenge.of(nonce), ctx.voidPromise());
        ctx.executor().schedule(() -> {
            if (nonce.equals(state.nonce())) {
                LOG.warn("peer link from {} at {}: no proof of the herd secret within {} ms; closing", peer,
                        ctx.channel().remoteAddress(), PROOF_TIMEOUT_MILLIS);
                ctx.close();
            }
        }, PROOF_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void onProof(ChannelHandlerContext ctx, ConnectionState state, Message msg) {
        String peer = state.greeted();
        if (msg instanceof Proof proof && secret.verify(peer, name, state.nonce(), proof.mac())) {
            metrics.line(Command.PROOF, true);
            state.becomePeer(peer);
            watchSilence(ctx);
            LOG.info("peer link from {} at {} open (authenticated)", peer, ctx.channel().remoteAddress());
            sendDigest(ctx);
            return;
        }
        metrics.line(Command.of(msg), false);
        LOG.warn("peer link from {} at {} failed authentication ({}); closing", peer, ctx.channel().remoteAddress(),
                msg instanceof Proof ? "wrong proof: a different herd secret?" : "no proof");
        state.becomePeer(null);
        ctx.close();
    }

    /** From now on the connection is a peer link: the client idle rule gives way to the peer silence rule. */
    private static void watchSilence(ChannelHandlerContext ctx) {
        IdleStateHandler silence = new IdleStateHandler(PEER_SILENCE_SECONDS, 0, 0);
        if (ctx.pipeline().get(HerdPipeline.IDLE) != null) {
            ctx.pipeline().replace(HerdPipeline.IDLE, HerdPipeline.IDLE, silence);
        } else {
            ctx.pipeline().addFirst(HerdPipeline.IDLE, silence);
        }
    }

    /** Tells a peer whose link just opened what this server holds, so it sends only what is needed. */
    private void sendDigest(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(store.digest(), ctx.voidPromise());
    }

    private void onIAmAt(ChannelHandlerContext ctx, ConnectionState state, IAmAt iamat) {
        Instant now = clock.instant();
        At record = At.of(name, TimeDiff.between(now.getEpochSecond(), now.getNano(), iamat.time()),
                iamat.clientId(), iamat.location(), iamat.time());
        boolean newer = store.offer(record);
        metrics.line(Command.IAMAT, true);
        metrics.reply(HerdMetrics.Reply.AT);
        Journal durable = journal;
        if (newer && durable != null) {
            // Acknowledge only what is on disk: the reply waits (in its place in line) for the journal.
            ConnectionState.Slot slot = state.reserve();
            durable.barrier().thenRun(() -> ctx.executor().execute(() -> state.complete(ctx, slot, record)));
        } else {
            state.reply(ctx, record);
        }
        if (newer) {
            metrics.stored(record, null);
            flooder.flood(record, null);
        }
        if (LINES.isInfoEnabled()) {
            LINES.info("{} <- {} => {}{}", ctx.channel().remoteAddress(), LogLines.received(iamat), LogLines.sent(record),
                    newer ? "" : "   [not newer than the stored record: kept that one]");
        }
    }

    private void onWhatsAt(ChannelHandlerContext ctx, ConnectionState state, WhatsAt whatsat) {
        At record = store.get(whatsat.clientId());
        if (record == null) {
            Invalid refusal = new Invalid(whatsat.line(), "unknown client");
            metrics.line(Command.WHATSAT, false);
            metrics.reply(HerdMetrics.Reply.INVALID);
            state.reply(ctx, refusal);
            if (LINES.isInfoEnabled()) {
                LINES.info("{} <- {} => {}   [unknown client]", ctx.channel().remoteAddress(),
                        LogLines.received(whatsat), LogLines.sent(refusal));
            }
            return;
        }
        if (LINES.isInfoEnabled()) {
            LINES.info("{} <- {}", ctx.channel().remoteAddress(), LogLines.received(whatsat));
        }
        metrics.line(Command.WHATSAT, true);
        ConnectionState.Slot slot = state.reserve();
        // copy(): the future may be shared with other WHATSATs (cache, coalescing); the guard is ours.
        places.nearby(record.location(), whatsat.radius()).copy()
                .orTimeout(placesDeadlineMillis, TimeUnit.MILLISECONDS)
                .handle((json, err) -> PlacesJson.render(json != null ? json : deadlineMissed(err), whatsat.bound()))
                .thenAccept(text -> ctx.executor().execute(() -> {
                    PlacesReply reply = new PlacesReply(record, text);
                    metrics.reply(HerdMetrics.Reply.PLACES);
                    LINES.info("{} -> {} + Places JSON ({} bytes)", ctx.channel().remoteAddress(),
                            record.line().toLogString(), text.length());
                    state.complete(ctx, slot, reply);
                }));
    }

    private JsonNode deadlineMissed(Throwable err) {
        LOG.warn("places source {} gave no answer in time: {}", places.describe(), err.toString());
        return PlacesJson.error("UNKNOWN_ERROR", "Places request failed: no answer in time");
    }

    private void onPeerMessage(ChannelHandlerContext ctx, ConnectionState state, Message msg) {
        if (msg instanceof At update) {
            boolean newer = store.offer(update);
            metrics.line(Command.AT, true);
            metrics.updateReceived(newer);
            if (newer) {
                metrics.stored(update, state.peer());
                flooder.flood(update, state.peer());
            }
            if (LINES.isInfoEnabled()) {
                LINES.info("{} {} <- {}{}", state.peer(), ctx.channel().remoteAddress(), update.line().toLogString(),
                        newer ? "" : "   [not newer: dropped]");
            }
        } else if (msg instanceof Digest) {
            // The sender probes a quiet link with its digest: answering proves the path and this server alive.
            metrics.line(Command.DIGEST, true);
            sendDigest(ctx);
        } else {
            // Peers send only updates and probes, and nobody reads replies on a peer link; say so and go on.
            metrics.line(Command.of(msg), false);
            LOG.warn("peer {} at {} sent something other than an update; ignored: {}", state.peer(),
                    ctx.channel().remoteAddress(), LogLines.received(msg));
        }
    }

    /** The refusal of a message that is well formed but not acceptable on a client connection. */
    private static Message asInvalid(Message msg) {
        if (msg instanceof Invalid || msg instanceof TooLongLine) {
            return msg;
        }
        if (msg instanceof At at) {
            return new Invalid(at.line(), "AT is accepted only on a peer link");
        }
        if (msg instanceof PeerGreeting greeting) {
            return new Invalid(greeting.line(), "not a configured peer, or not the connection's first line");
        }
        if (msg instanceof Proof proof) {
            return new Invalid(proof.line(), "no challenge was made on this connection");
        }
        if (msg instanceof Challenge challenge) {
            return new Invalid(challenge.line(), "challenges are for peer links");
        }
        if (msg instanceof Digest digest) {
            return new Invalid(digest.line(), "digests are for peer links");
        }
        throw new IllegalStateException("no refusal for " + msg.getClass().getSimpleName());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ConnectionState state = ctx.channel().attr(ConnectionState.KEY).get();
        boolean wasPaused = state.isPaused();
        state.pauseIfBehind(ctx);
        if (!wasPaused && state.isPaused()) {
            LOG.info("{}: not reading its replies (or owes too many); reading from it paused until it catches up",
                    ctx.channel().remoteAddress());
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            ctx.channel().attr(ConnectionState.KEY).get().resumeIfCaughtUp(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        ConnectionState state = ctx.channel().attr(ConnectionState.KEY).get();
        if (evt == DRAIN) {
            ctx.channel().config().setAutoRead(false);
            if (state.peer() != null) {
                ctx.close();
            } else {
                state.inputClosed(ctx);
            }
            return;
        }
        if (evt instanceof ChannelInputShutdownEvent) {
            state.inputClosed(ctx);
        } else if (evt instanceof IdleStateEvent && state.peer() != null) {
            LOG.warn("peer link from {} at {}: nothing received for {} s (not even a probe); closing", state.peer(),
                    ctx.channel().remoteAddress(), PEER_SILENCE_SECONDS);
            ctx.close();
        } else if (evt instanceof IdleStateEvent && state.peer() == null && state.owesNothing()) {
            // Peer links may be quiet for hours; a client that says nothing and is owed nothing is gone.
            LOG.info("{}: idle past the timeout; closing", ctx.channel().remoteAddress());
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ConnectionState state = ctx.channel().attr(ConnectionState.KEY).get();
        if (state.peer() != null) {
            LOG.info("peer link from {} at {} closed", state.peer(), ctx.channel().remoteAddress());
        } else {
            LOG.debug("{} disconnected", ctx.channel().remoteAddress());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ChannelErrors.logAndClose(LOG, "connection", ctx, cause);
    }
}
