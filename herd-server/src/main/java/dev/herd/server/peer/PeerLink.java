package dev.herd.server.peer;

import dev.herd.protocol.At;
import dev.herd.protocol.Challenge;
import dev.herd.protocol.Digest;
import dev.herd.protocol.PeerGreeting;
import dev.herd.protocol.Prints;
import dev.herd.protocol.Proof;
import dev.herd.server.admin.SingleWriterCounter;
import dev.herd.server.config.HerdSecret;
import dev.herd.server.internal.Backoff;
import dev.herd.server.log.ProtocolLog;
import dev.herd.server.log.ServerLog;
import dev.herd.server.store.Replica;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One persistent outbound link to a peer's peer port, with its reconnect watchdog and this side of the
 * handshake. The moment the link is open (and, with a herd secret, authenticated) it carries live
 * updates ({@link LinkOutput}); beside them it keeps the peer's store holding everything this server's
 * holds ({@link LinkComparison}). While the link is down or the peer does not read, updates for it
 * wait in a bounded queue and go out first when it is back; the watchdog retries with capped
 * exponential backoff, resolving the peer's address again each attempt, and at once when the peer
 * links to this server ({@link #kick}).
 *
 * <p>Thread model: all link state is confined to {@link #loop}; {@link #send} may be called from any
 * thread and hops onto it.
 */
public final class PeerLink {
    private static final ServerLog LOG = ServerLog.of(PeerLink.class);
    /** The link a channel belongs to, for its pipeline to hand the peer's challenge back. */
    static final AttributeKey<PeerLink> KEY = AttributeKey.valueOf(PeerLink.class, "link");
    /** The address a link connects to, for its pipeline's TLS host check. */
    static final AttributeKey<InetSocketAddress> TARGET = AttributeKey.valueOf(PeerLink.class, "target");
    private static final long CHALLENGE_TIMEOUT_MILLIS = 5000;
    /** Seconds without a byte from the peer before the link probes it; as long again unanswered closes it. */
    static final int PROBE_AFTER_SECONDS = 5;

    private final PeerGreeting greeting;
    private final String peer;
    private final Supplier<InetSocketAddress> address;
    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final Backoff backoff;
    private final HerdSecret secret;
    private final Replica replica;
    /**
     * Whether updates may go out on the current channel: at once without a secret, after the proof with
     * one. Volatile for {@link #isUp()}, read from other threads; written only on the loop.
     */
    private volatile boolean authenticated;
    /** The challenge this link sent the peer, while its proof is awaited. */
    private String ourNonce;
    /** A connect attempt is under way. */
    private boolean connecting;
    /** Volatile for {@link #isUp()}; written only on the loop. */
    private volatile Channel channel;
    private int failures;
    private boolean closed;
    /** Updates sent when the last probe went out. */
    private long sentAtProbe;
    private final SingleWriterCounter reconnects = new SingleWriterCounter();
    private boolean everOpened;
    private final LinkOutput output;
    private final LinkComparison comparison;
    private ScheduledFuture<?> retry;

    PeerLink(PeerGreeting greeting, String peer, Supplier<InetSocketAddress> address, Bootstrap bootstrap, EventLoop loop,
             Backoff backoff, HerdSecret secret, Replica replica, java.util.concurrent.Executor comparisons, ProtocolLog lines) {
        this.secret = secret;
        this.replica = replica;
        this.greeting = greeting;
        this.peer = peer;
        this.address = address;
        this.bootstrap = bootstrap;
        this.loop = loop;
        this.backoff = backoff;
        this.output = new LinkOutput(peer, loop, this::openChannel, this::updatesDropped, lines);
        this.comparison = new LinkComparison(peer, loop, replica, comparisons, output, this::openChannel);
    }

    /** Updates kept for the peer overflowed: a comparison sends what it lacks instead. */
    private void updatesDropped() {
        comparison.want("updates were dropped for it");
    }

    /** The channel updates may go out on now (open, authenticated, the link not closed), or null. */
    private Channel openChannel() {
        Channel ch = channel;
        return ch != null && ch.isActive() && authenticated && !closed ? ch : null;
    }

    public String peer() {
        return peer;
    }

    void start() {
        loop.execute(this::connect);
        loop.scheduleWithFixedDelay(comparison::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** How often a link looks at its comparisons. */
    static final long TICK_MILLIS = 1000;

    /**
     * Sends an update if the link is up and keeps up, else keeps it for later; {@code ack} (if not null)
     * hears once it is in the socket, or kept. Any thread.
     */
    void send(At update, FloodAck ack) {
        output.send(update, ack);
    }

    /** Updates sent on this link (catch-up records not counted). Any thread. */
    public long sent() {
        return output.sent();
    }

    /** Updates dropped while the link was down and its queue full. Any thread. */
    public long overflowed() {
        return output.overflowed();
    }

    /** Times the link opened again after having been open. Any thread. */
    public long reconnects() {
        return reconnects.get();
    }

    /** Whether the link is open and carries updates (authenticated, with a herd secret). Any thread; a snapshot. */
    public boolean isUp() {
        Channel ch = channel;
        return ch != null && ch.isActive() && authenticated;
    }

    /**
     * The peer just linked to this server, so it is up: if this link is down and waiting out its
     * backoff, try now rather than later. Any thread.
     */
    void kick() {
        loop.execute(() -> {
            if (closed || channel != null || connecting) {
                return;
            }
            if (retry != null) {
                retry.cancel(false);
            }
            LOG.debug("peer link to {}: the peer linked to this server; retrying at once", peer);
            connect();
        });
    }

    /** Stops the watchdog and closes the link; the future completes once it is closed. */
    Future<Void> close() {
        Promise<Void> done = loop.newPromise();
        loop.execute(() -> {
            closed = true;
            output.close();
            if (retry != null) {
                retry.cancel(false);
            }
            if (channel == null) {
                done.setSuccess(null);
            } else {
                channel.close().addListener(f -> done.setSuccess(null));
            }
        });
        return done;
    }

    private void connect() {
        if (closed) {
            return;
        }
        InetSocketAddress target = address.get();
        if (target == null) {
            scheduleRetry("address unknown");
            return;
        }
        connecting = true;
        ChannelFuture attempt = bootstrap.clone().attr(TARGET, target).connect(target);
        attempt.addListener((ChannelFuture f) -> {
            connecting = false;
            if (!f.isSuccess()) {
                scheduleRetry(f.cause().toString());
                return;
            }
            if (closed) {
                f.channel().close();
                return;
            }
            Channel ch = f.channel();
            channel = ch;
            ch.attr(KEY).set(this);
            ch.closeFuture().addListener(c -> onClosed(target));
            // The greeting goes first, before any update: the connect future completes before the
            // pipeline sees channelActive, so it is written here rather than by a handler. Without a
            // secret, what waited follows at once, in the same flush; logging comes after, off that path.
            ch.write(greeting, ch.voidPromise());
            authenticated = secret == null;
            if (authenticated) {
                opened(ch);
            } else {
                loop.schedule(() -> {
                    if (ch == channel && !authenticated && ch.isActive()) {
                        LOG.warn("peer link to {}: no challenge within {} ms (is the herd secret set on {} too?); closing",
                                peer, CHALLENGE_TIMEOUT_MILLIS, peer);
                        ch.close();
                    }
                }, CHALLENGE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            }
            ch.flush();
            LOG.info("peer link to {} at {} open{}", peer, target,
                    failures > 0 ? " after " + failures + " failed attempts" : "");
            failures = 0;
            output.opened();
            if (everOpened) {
                reconnects.increment();
            }
            everOpened = true;
        });
    }

    /**
     * The peer has sent nothing for {@link #PROBE_AFTER_SECONDS}: the first time, probe it with this
     * server's digest (it answers with its own); the next time in a row, the path is dead (a cut cable,
     * a frozen peer), which TCP would notice only after many minutes: close and reconnect. Event loop only.
     */
    void onSilence(Channel ch, boolean first) {
        if (ch != channel || !authenticated) {
            return; // still opening: the challenge timeout watches that
        }
        if (first || ch.isWritable() && output.sent() > sentAtProbe) {
            // A peer that takes the updates this link sends (the channel stays writable while more go out)
            // is alive, only busy: its answer waits behind them. Probe again rather than cut a busy link.
            sentAtProbe = output.sent();
            output.writeBatch(ch);
            ch.writeAndFlush(replica.digest(), ch.voidPromise());
            return;
        }
        LOG.warn("peer link to {} at {}: no answer to a probe within {} s; closing it and reconnecting", peer,
                ch.remoteAddress(), PROBE_AFTER_SECONDS);
        ch.close();
    }

    /**
     * The peer challenged this link: answer with the proof, and challenge it in turn. Nothing is sent
     * until it proves the secret too ({@link #onProof}): a stranger listening on a down peer's port
     * could take a proof from anyone, and must not get a record for it. Event loop only.
     */
    void onChallenge(Channel ch, String nonce) {
        if (ch != channel || authenticated || ourNonce != null) {
            return;
        }
        if (secret == null) {
            LOG.warn("peer link to {}: the peer asks for the herd secret, which this server does not have; closing", peer);
            ch.close();
            return;
        }
        ourNonce = secret.newNonce();
        ch.write(Proof.of(secret.proof(greeting.server(), peer, nonce)), ch.voidPromise());
        ch.writeAndFlush(Challenge.of(ourNonce), ch.voidPromise());
    }

    /** The peer answered this link's challenge: if it knows the secret, the updates go. Event loop only. */
    void onProof(Channel ch, String mac) {
        if (ch != channel || authenticated || ourNonce == null) {
            return;
        }
        if (!secret.verify(peer, greeting.server(), ourNonce, mac)) {
            LOG.warn("peer link to {} at {}: the peer's proof of the herd secret is wrong (a different secret, or not"
                    + " {} at all); closing without sending anything", peer, ch.remoteAddress(), peer);
            ourNonce = null;
            ch.close();
            return;
        }
        ourNonce = null;
        authenticated = true;
        LOG.info("peer link to {}: both sides proved the herd secret", peer);
        opened(ch);
        ch.flush();
    }

    /** The link carries updates from now on: see {@link LinkComparison#opened}. */
    private void opened(Channel ch) {
        comparison.opened(ch);
    }

    /** The peer's digest, on opening or answering a probe. Event loop only. */
    void onDigest(Channel ch, Digest theirs) {
        comparison.onDigest(ch, theirs);
    }

    /** The peer's answer to this link's sums. Event loop only. */
    void onPrints(Channel ch, Prints answer) {
        comparison.onPrints(ch, answer);
    }

    /** The channel drained: more of what waits goes out. Event loop only. */
    void continueCatchUp(Channel ch) {
        comparison.continueCatchUp(ch);
    }

    private void onClosed(InetSocketAddress target) {
        channel = null;
        output.release();
        ourNonce = null;
        authenticated = false;
        comparison.closed();
        if (closed) {
            LOG.info("peer link to {} at {} closed", peer, target);
            return;
        }
        LOG.warn("peer link to {} at {} lost; reconnecting", peer, target);
        scheduleRetry("link lost");
    }

    private void scheduleRetry(String reason) {
        if (closed) {
            return;
        }
        failures++;
        long delay = backoff.delayMillis(failures);
        // One line when a link goes down and one when it is back; the attempts between are DEBUG,
        // except a reminder every 240 failures (about every minute at the 250 ms cap).
        if (failures == 1 || failures % 240 == 0) {
            LOG.info("peer link to {} unavailable ({}), attempt {}; retrying in {} ms", peer, reason, failures, delay);
        } else {
            LOG.debug("peer link to {} unavailable ({}), attempt {}; retrying in {} ms", peer, reason, failures, delay);
        }
        retry = loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }
}
