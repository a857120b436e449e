package dev.herd.server.peer;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.protocol.Challenge;
import dev.herd.protocol.Digest;
import dev.herd.protocol.Invalid;
import dev.herd.protocol.Message;
import dev.herd.protocol.MessageFormatter;
import dev.herd.protocol.PeerGreeting;
import dev.herd.protocol.Proof;
import dev.herd.protocol.Sums;
import dev.herd.protocol.TooLongLine;
import dev.herd.protocol.TreeLine;
import dev.herd.server.config.HerdSecret;
import dev.herd.server.internal.ChannelErrors;
import dev.herd.server.log.ProtocolLog;
import dev.herd.server.log.ServerLog;
import dev.herd.server.metrics.HerdMetrics;
import dev.herd.server.store.LocationStore;
import dev.herd.server.store.Replica;
import dev.herd.server.store.Updates;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The receiving end of a peer's link, on this server's peer port: the peer's greeting, its proof of
 * the herd secret when the herd has one, then the updates it floods (stored if newer, and flooded on
 * to every other peer) and its probes (answered with this server's digest). One instance per
 * connection, holding where the handshake stands; confined to the channel's event loop.
 */
public final class InboundPeerHandler extends SimpleChannelInboundHandler<Message> {
    private static final ServerLog LOG = ServerLog.of(InboundPeerHandler.class);
    static final long PROOF_TIMEOUT_MILLIS = 5000;
    /** A connection on the peer port that has not greeted within this is closed. */
    public static final long GREETING_TIMEOUT_MILLIS = 5000;
    /**
     * A peer link on which nothing arrives for this long is closed: its sender probes it after
     * {@link PeerLink#PROBE_AFTER_SECONDS} of its own silence, so a live link never stays quiet this long.
     * It also bounds how long a connection may sit on the peer port without greeting.
     */
    public static final int PEER_SILENCE_SECONDS = 20;

    /**
     * What the handler needs of its server; one per server, shared by its peer connections. {@code linked}
     * hears the name of each peer whose link opened, once what came with the opening has been read.
     */
    public record Server(String name, Updates updates, Peers peers, @Nullable HerdSecret secret,
                         HerdMetrics metrics, ProtocolLog lines, Consumer<String> linked, Executor comparisons) {
        /** The store, as store comparisons read it. */
        Replica replica() {
            return updates.store();
        }
    }

    private final Server server;
    /** The peer that greeted; null until then. */
    private String peer;
    /** The peer and its address as the protocol log names them, once it has said who it is. */
    private String who;
    /** The challenge the greeting peer must answer; null when none is outstanding. */
    private String nonce;
    private boolean open;
    /** The peer proved the secret; its challenge to this server is next. */
    private boolean provedByPeer;
    /** The store comparison the peer is running, once it has started one. */
    private SumsAnswer answer;
    /** Opened during the read in progress: {@link Server#linked} is told when that read is done. */
    private boolean justOpened;

    public InboundPeerHandler(Server server) {
        this.server = server;
    }

    /** The peer that greeted on this connection; null until one has. Read on the connection's event loop. */
    @Nullable String peer() {
        return peer;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Message msg) {
        if (open) {
            onPeerMessage(ctx, msg);
        } else if (provedByPeer) {
            onPeersChallenge(ctx, msg);
        } else if (nonce != null) {
            onProof(ctx, msg);
        } else if (peer == null && msg instanceof PeerGreeting greeting && server.peers().isPeer(greeting.server())) {
            onGreeting(ctx, greeting);
        } else {
            refuse(ctx, msg);
        }
    }

    private void onGreeting(ChannelHandlerContext ctx, PeerGreeting greeting) {
        server.metrics().line(greeting, true);
        String name = greeting.server();
        peer = name;
        if (server.secret() == null) {
            open(ctx, "no herd secret: not authenticated");
            return;
        }
        String challenge = server.secret().newNonce();
        nonce = challenge;
        ctx.writeAndFlush(Challenge.of(challenge), ctx.voidPromise());
        ctx.executor().schedule(() -> {
            if ((challenge.equals(nonce) || provedByPeer) && ctx.channel().isActive()) {
                LOG.warn("peer link from {} at {}: no proof of the herd secret within {} ms; closing", name,
                        ctx.channel().remoteAddress(), PROOF_TIMEOUT_MILLIS);
                ctx.close();
            }
        }, PROOF_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void onProof(ChannelHandlerContext ctx, Message msg) {
        if (msg instanceof Proof proof && server.secret().verify(peer, server.name(), nonce, proof.mac())) {
            server.metrics().line(proof, true);
            nonce = null;
            // Its challenge follows: this server proves the secret in turn before the link carries anything.
            provedByPeer = true;
            return;
        }
        server.metrics().line(msg, false);
        LOG.warn("peer link from {} at {} failed authentication ({}); closing", peer, ctx.channel().remoteAddress(),
                msg instanceof Proof ? "wrong proof: a different herd secret?" : "no proof");
        nonce = null;
        ctx.close();
    }

    /** The peer proved the secret and challenges this server: answer, and the link is open. */
    private void onPeersChallenge(ChannelHandlerContext ctx, Message msg) {
        if (!(msg instanceof Challenge challenge)) {
            server.metrics().line(msg, false);
            LOG.warn("peer link from {} at {}: no challenge after its proof (every server challenges the one it links"
                    + " to); closing", peer, ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        provedByPeer = false;
        ctx.write(Proof.of(server.secret().proof(server.name(), peer, challenge.nonce())), ctx.voidPromise());
        open(ctx, "authenticated both ways");
    }

    /**
     * The link is open: tell the peer what this server holds (so that it sends only what is missing).
     * Once the updates that came with the greeting are read too, the server hears of it (the peer is up,
     * and has said what it kept for this server).
     */
    private void open(ChannelHandlerContext ctx, String how) {
        open = true;
        justOpened = true;
        LOG.info("peer link from {} at {} open ({})", peer, ctx.channel().remoteAddress(), how);
        ctx.writeAndFlush(server.replica().digest(), ctx.voidPromise());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.executor().schedule(() -> {
            if (peer == null && ctx.channel().isActive()) {
                LOG.info("peer port: {} sent no greeting within {} ms; closing", ctx.channel().remoteAddress(),
                        GREETING_TIMEOUT_MILLIS);
                ctx.close();
            }
        }, GREETING_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (justOpened) {
            justOpened = false;
            server.linked().accept(peer);
        }
        server.updates().pushBack(ctx.channel());
        ctx.fireChannelReadComplete();
    }

    private void onPeerMessage(ChannelHandlerContext ctx, Message msg) {
        if (msg instanceof At update) {
            LocationStore.Outcome outcome = server.updates().accept(update, peer, null);
            boolean newer = outcome == LocationStore.Outcome.KEPT;
            if (outcome == LocationStore.Outcome.NOT_NEWER) {
                server.peers().notKept(update);
            }
            server.metrics().line(update, true);
            ProtocolLog lines = server.lines();
            if (lines.enabled()) {
                lines.begin().text(who(ctx)).text(" <- ").escaped(update.line()).text(newer ? "" : "   [not newer: dropped]").end();
            }
        } else if (msg instanceof Digest) {
            // The sender probes a quiet link with its digest: answering proves the path and this server alive.
            server.metrics().line(msg, true);
            ctx.writeAndFlush(server.replica().digest(), ctx.voidPromise());
        } else if (msg instanceof Sums sums) {
            onSums(ctx, sums);
        } else if (msg instanceof TreeLine line) {
            server.metrics().line(msg, true);
            if (server.lines().enabled()) {
                server.lines().begin().text(who(ctx)).text(" <- ").escaped(MessageFormatter.lineOf(line)).end();
            }
            server.updates().treeLineReceived(line, peer);
            server.peers().onTreeLine(line, peer);
        } else {
            // Peers send only updates, probes, comparisons and tree lines, and nobody reads replies on a peer
            // link; say so and go on.
            server.metrics().line(msg, false);
            LOG.warn("peer {} at {} sent something other than an update; ignored: {}", peer,
                    ctx.channel().remoteAddress(), MessageFormatter.receivedLineOf(msg).toLogString());
        }
    }

    /** The peer and its address, as the protocol log names them. */
    private String who(ChannelHandlerContext ctx) {
        if (who == null) {
            who = peer + " " + ctx.channel().remoteAddress();
        }
        return who;
    }

    /**
     * A line of the peer's sums: once the last is in, answer with this server's fingerprints in the
     * buckets that differ, so the peer sends just the records this server lacks.
     */
    private void onSums(ChannelHandlerContext ctx, Sums sums) {
        server.metrics().line(sums, true);
        if (answer == null) {
            answer = new SumsAnswer(server.replica());
        }
        answer.take(ctx, sums, peer, server.comparisons());
    }

    /** Not a greeting from a configured peer: say so as the protocol does ({@code ? } and the line), and close. */
    private void refuse(ChannelHandlerContext ctx, Message msg) {
        server.metrics().line(msg, false);
        Bytes line = MessageFormatter.receivedLineOf(msg);
        LOG.warn("peer port: {} sent {} where a configured peer's greeting (PEER name) was expected; closing",
                ctx.channel().remoteAddress(), line.toLogString());
        Message refusal = msg instanceof Invalid || msg instanceof TooLongLine ? msg
                : new Invalid(line, "not a configured peer's greeting");
        ctx.writeAndFlush(refusal).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            LOG.warn("peer link from {} at {}: nothing received for {} s{}; closing", peer == null ? "(no greeting)" : peer,
                    ctx.channel().remoteAddress(), PEER_SILENCE_SECONDS, open ? " (not even a probe)" : "");
            ctx.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (open) {
            LOG.info("peer link from {} at {} closed", peer, ctx.channel().remoteAddress());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ChannelErrors.logAndClose(LOG, "peer link from " + (peer == null ? "(no greeting)" : peer), ctx, cause);
    }
}
