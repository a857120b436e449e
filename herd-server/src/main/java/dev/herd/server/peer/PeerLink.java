package dev.herd.server.peer;

import dev.herd.protocol.At;
import dev.herd.protocol.Digest;
import dev.herd.protocol.PeerGreeting;
import dev.herd.protocol.Prints;
import dev.herd.protocol.TreeLine;
import dev.herd.server.config.HerdSecret;
import dev.herd.server.internal.Backoff;
import dev.herd.server.log.ProtocolLog;
import dev.herd.server.log.ServerLog;
import dev.herd.server.metrics.SingleWriterCounter;
import dev.herd.server.store.Replica;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
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
    /** Seconds without a byte from the peer before the link probes it; as long again unanswered closes it. */
    static final int PROBE_AFTER_SECONDS = 5;

    private final String peer;
    private final EventLoop loop;
    private final Replica replica;
    /**
     * Whether updates may go out on the current channel: at once without a secret, after the proof with
     * one. Volatile for {@link #isUp()}, read from other threads; written only on the loop.
     */
    private volatile boolean authenticated;
    /** Volatile for {@link #isUp()}; written only on the loop. */
    private volatile Channel channel;
    private boolean closed;
    /** Updates sent when the last probe went out. */
    private long sentAtProbe;
    private final SingleWriterCounter reconnects = new SingleWriterCounter();
    private boolean everOpened;
    private final LinkOutput output;
    private final LinkComparison comparison;
    private final LinkWatchdog watchdog;
    private final LinkHandshake handshake;

    PeerLink(PeerGreeting greeting, String peer, Supplier<InetSocketAddress> address, Bootstrap bootstrap, EventLoop loop,
             Backoff backoff, HerdSecret secret, Replica replica, Executor comparisons, ProtocolLog lines) {
        this.replica = replica;
        this.peer = peer;
        this.loop = loop;
        this.output = new LinkOutput(peer, loop, this::openChannel, this::updatesDropped, lines);
        this.comparison = new LinkComparison(peer, loop, replica, comparisons, output, this::openChannel);
        this.handshake = new LinkHandshake(greeting, peer, secret, loop);
        this.watchdog = new LinkWatchdog(peer, address, bootstrap, loop, backoff,
                new LinkWatchdog.Link(() -> closed, () -> channel != null, this::opening));
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
        loop.execute(watchdog::connect);
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

    /** Tree mode: the peer is told, in a batch, that this server holds the update printed {@code print}. Loop only. */
    void announce(long print) {
        output.announce(print);
    }

    /** Tree mode: sends an IWANT line now if the link is up. Loop only. */
    void send(TreeLine line) {
        output.send(line);
    }

    /** Updates sent on this link (catch-up records not counted). Any thread. */
    public long sent() {
        return output.sent();
    }

    /** Bytes of the update lines sent on this link (as {@link #sent}). Any thread. */
    public long sentBytes() {
        return output.sentBytes();
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
        watchdog.kick();
    }

    /** Stops the watchdog and closes the link; the future completes once it is closed. */
    Future<Void> close() {
        Promise<Void> done = loop.newPromise();
        loop.execute(() -> {
            closed = true;
            output.close();
            watchdog.cancel();
            if (channel == null) {
                done.setSuccess(null);
            } else {
                channel.close().addListener(f -> done.setSuccess(null));
            }
        });
        return done;
    }

    /** The watchdog connected {@code ch}: greet the peer, and with a herd secret wait for its challenge. */
    private void opening(Channel ch, InetSocketAddress target, int failedAttempts) {
        channel = ch;
        ch.attr(KEY).set(this);
        ch.closeFuture().addListener(c -> onClosed(target));
        // Without a secret, what waited follows the greeting at once, in the same flush; logging
        // comes after, off that path.
        authenticated = handshake.greet(ch, opening -> opening == channel && !authenticated);
        if (authenticated) {
            opened(ch);
        }
        ch.flush();
        LOG.info("peer link to {} at {} open{}", peer, target,
                failedAttempts > 0 ? " after " + failedAttempts + " failed attempts" : "");
        output.opened();
        if (everOpened) {
            reconnects.increment();
        }
        everOpened = true;
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

    /** The peer challenged this link: see {@link LinkHandshake#onChallenge}. Event loop only. */
    void onChallenge(Channel ch, String nonce) {
        if (ch == channel && !authenticated) {
            handshake.onChallenge(ch, nonce);
        }
    }

    /** The peer answered this link's challenge: if it knows the secret, the updates go. Event loop only. */
    void onProof(Channel ch, String mac) {
        if (ch == channel && !authenticated && handshake.onProof(ch, mac)) {
            authenticated = true;
            opened(ch);
            ch.flush();
        }
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
        authenticated = false;
        comparison.closed();
        if (closed) {
            LOG.info("peer link to {} at {} closed", peer, target);
            return;
        }
        LOG.warn("peer link to {} at {} lost; reconnecting", peer, target);
        watchdog.retry("link lost");
    }
}
