package dev.herd.server.peer;

import dev.herd.protocol.At;
import dev.herd.server.admin.SingleWriterCounter;
import dev.herd.protocol.Digest;
import dev.herd.protocol.PeerGreeting;
import dev.herd.protocol.Proof;
import io.netty.util.AttributeKey;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One persistent outbound link to a peer, with its reconnect watchdog. Each time the link opens it
 * first sends the peer every record this server holds (a catch-up, paced by the channel's
 * writability, so a restarted or partitioned peer converges), then updates as they come. While the
 * link is down,
 * updates for it wait in a bounded queue and go out when it is back (the oldest are dropped when
 * the queue is full, never blocking a client); the watchdog retries with capped exponential
 * backoff, resolving the peer's address again each attempt.
 *
 * <p>Thread model: all link state is confined to {@link #loop}; {@link #send} may be called from any
 * thread and hops onto it.
 */
public final class PeerLink {
    private static final Logger LOG = LogManager.getLogger(PeerLink.class);
    private static final Logger LINES = LogManager.getLogger("herd.lines");
    /** The link a channel belongs to, for its pipeline to hand the peer's challenge back. */
    static final AttributeKey<PeerLink> KEY = AttributeKey.valueOf(PeerLink.class, "link");
    /** The address a link connects to, for its pipeline's TLS host check. */
    static final AttributeKey<InetSocketAddress> TARGET = AttributeKey.valueOf(PeerLink.class, "target");
    private static final long CHALLENGE_TIMEOUT_MILLIS = 5000;
    /** Seconds without a byte from the peer before the link probes it; as long again unanswered closes it. */
    static final int PROBE_AFTER_SECONDS = 5;
    /** Updates kept for a peer while its link is down: enough for a restart, bounded in memory. */
    static final int MAX_PENDING = 10_000;

    private final PeerGreeting greeting;
    private final String peer;
    private final Supplier<InetSocketAddress> address;
    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final Backoff backoff;
    private final HerdSecret secret;
    private final Supplier<List<byte[]>> records;
    private final Supplier<Digest> digest;
    /**
     * Whether the peer's digest came (or its wait timed out): until then updates wait. Volatile for
     * {@link #isUp()}, read from other threads.
     */
    private volatile boolean synced;
    private static final long DIGEST_TIMEOUT_MILLIS = 2000;
    /** The catch-up in progress on the current channel: records left to send, and where we are. */
    private List<byte[]> catchUp;
    private int catchUpNext;
    private static final int CATCH_UP_BATCH = 512;
    /** Whether updates may go out on the current channel: at once without a secret, after the proof with one. */
    private boolean authenticated;
    private final Runnable flushTask = this::flush;

    /** Volatile for {@link #isUp()}; written only on the loop. */
    private volatile Channel channel;
    private int failures;
    private boolean closed;
    private boolean flushScheduled;
    private long dropped;
    /** For the admin endpoint: written on the link's loop, read from any thread. */
    private final SingleWriterCounter sent = new SingleWriterCounter();
    private final SingleWriterCounter overflowed = new SingleWriterCounter();
    private final SingleWriterCounter reconnects = new SingleWriterCounter();
    private boolean everOpened;
    private final ArrayDeque<At> pending = new ArrayDeque<>();
    private ScheduledFuture<?> retry;

    PeerLink(PeerGreeting greeting, String peer, Supplier<InetSocketAddress> address, Bootstrap bootstrap, EventLoop loop,
             Backoff backoff, HerdSecret secret, Supplier<List<byte[]>> records, Supplier<Digest> digest) {
        this.secret = secret;
        this.records = records;
        this.digest = digest;
        this.greeting = greeting;
        this.peer = peer;
        this.address = address;
        this.bootstrap = bootstrap;
        this.loop = loop;
        this.backoff = backoff;
    }

    public String peer() {
        return peer;
    }

    void start() {
        loop.execute(this::connect);
    }

    /** Sends an update if the link is up and keeps up; drops it otherwise. Any thread. */
    void send(At update) {
        if (loop.inEventLoop()) {
            write(update);
        } else {
            loop.execute(() -> write(update));
        }
    }

    /** Updates sent on this link (catch-up records not counted). Any thread. */
    public long sent() {
        return sent.get();
    }

    /** Updates dropped while the link was down and its queue full. Any thread. */
    public long overflowed() {
        return overflowed.get();
    }

    /** Times the link opened again after having been open. Any thread. */
    public long reconnects() {
        return reconnects.get();
    }

    /**
     * Whether the link is open and the peer answered on it (its digest came, or the wait for it ended):
     * a TCP connection alone is not a peer. Any thread; a snapshot.
     */
    public boolean isUp() {
        Channel ch = channel;
        return ch != null && ch.isActive() && synced;
    }

    /** Stops the watchdog and closes the link; the future completes once it is closed. */
    Future<Void> close() {
        Promise<Void> done = loop.newPromise();
        loop.execute(() -> {
            closed = true;
            pending.clear();
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

    private void write(At update) {
        Channel ch = channel;
        // Behind a catch-up, earlier updates or a full outbound buffer, an update waits its turn.
        if (ch == null || !ch.isActive() || !synced || catchUp != null || !pending.isEmpty() || !ch.isWritable()) {
            keep(update);
            return;
        }
        transmit(ch, update);
    }

    private void keep(At update) {
        if (pending.size() == MAX_PENDING) {
            pending.poll();
            overflowed.increment();
            if (dropped++ == 0) {
                LOG.warn("peer {}: {} updates waiting for the link; dropping the oldest (the next catch-up restores them)",
                        peer, MAX_PENDING);
            }
        }
        pending.add(update);
    }

    private void transmit(Channel ch, At update) {
        ch.write(update, ch.voidPromise());
        sent.increment();
        if (LINES.isInfoEnabled()) {
            LINES.info("{} {} -> {}", peer, ch.remoteAddress(), update.line().toLogString());
        }
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flushTask);
        }
    }

    private void flush() {
        flushScheduled = false;
        if (channel != null) {
            channel.flush();
        }
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
        ChannelFuture attempt = bootstrap.clone().attr(TARGET, target).connect(target);
        attempt.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                scheduleRetry(f.cause().toString());
                return;
            }
            if (closed) {
                f.channel().close();
                return;
            }
            channel = f.channel();
            channel.attr(KEY).set(this);
            // The greeting goes first, before any update: the connect future completes before the
            // pipeline sees channelActive, so it is written here rather than by a handler.
            channel.write(greeting, channel.voidPromise());
            authenticated = secret == null;
            if (!authenticated) {
                Channel challenged = channel;
                loop.schedule(() -> {
                    if (challenged == channel && !authenticated && challenged.isActive()) {
                        LOG.warn("peer link to {}: no challenge within {} ms (is the herd secret set on {} too?); closing",
                                peer, CHALLENGE_TIMEOUT_MILLIS, peer);
                        challenged.close();
                    }
                }, CHALLENGE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            }
            LOG.info("peer link to {} at {} open{}", peer, target,
                    failures > 0 ? " after " + failures + " failed attempts" : "");
            failures = 0;
            dropped = 0;
            if (everOpened) {
                reconnects.increment();
            }
            everOpened = true;
            channel.closeFuture().addListener(c -> onClosed(target));
            if (authenticated) {
                awaitDigest(channel);
            }
            channel.flush();
        });
    }

    /**
     * The peer has sent nothing for {@link #PROBE_AFTER_SECONDS}: the first time, probe it with this
     * server's digest (it answers with its own); the next time in a row, the path is dead (a cut cable,
     * a frozen peer), which TCP would notice only after many minutes: close and reconnect. Event loop only.
     */
    void onSilence(Channel ch, boolean first) {
        if (ch != channel || !synced) {
            return; // still opening: the challenge and digest timeouts watch that
        }
        if (first) {
            ch.writeAndFlush(digest.get(), ch.voidPromise());
            return;
        }
        LOG.warn("peer link to {} at {}: no answer to a probe within {} s; closing it and reconnecting", peer,
                ch.remoteAddress(), PROBE_AFTER_SECONDS);
        ch.close();
    }

    /** The peer challenged this link: answer with the proof, then let the updates go. Event loop only. */
    void onChallenge(Channel ch, String nonce) {
        if (ch != channel || authenticated) {
            return;
        }
        if (secret == null) {
            LOG.warn("peer link to {}: the peer asks for the herd secret, which this server does not have; closing", peer);
            ch.close();
            return;
        }
        ch.write(Proof.of(secret.proof(greeting.server(), peer, nonce)), ch.voidPromise());
        authenticated = true;
        LOG.info("peer link to {}: answered its challenge", peer);
        ch.flush();
        awaitDigest(ch);
    }

    /** The peer will say what it holds; if it does not in time, it is sent everything. */
    private void awaitDigest(Channel ch) {
        loop.schedule(() -> {
            if (ch == channel && !synced && ch.isActive()) {
                LOG.info("peer link to {}: no digest within {} ms; sending every record", peer, DIGEST_TIMEOUT_MILLIS);
                sendPending(true);
            }
        }, DIGEST_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The peer's digest: if it holds what this server holds, there is nothing to catch up. Event loop only. */
    void onDigest(Channel ch, Digest theirs) {
        if (ch != channel || !authenticated || synced) {
            return;
        }
        boolean same = theirs.sameRecordsAs(digest.get());
        if (same) {
            LOG.info("peer link to {}: its {} records match this server's; no catch-up needed", peer, theirs.count());
        }
        sendPending(!same);
    }

    /** The link is open for updates: catch the peer up if needed, then send what waited. Event loop only. */
    private void sendPending(boolean catchUpNeeded) {
        synced = true;
        catchUp = catchUpNeeded ? records.get() : List.of();
        catchUpNext = 0;
        if (!catchUp.isEmpty()) {
            LOG.info("peer link to {}: catching it up with {} records", peer, catchUp.size());
        }
        if (!pending.isEmpty()) {
            LOG.info("peer link to {}: {} updates kept while it was down follow the catch-up", peer, pending.size());
        }
        continueCatchUp(channel);
    }

    /**
     * Sends the next records of the catch-up, then the updates that waited, while the channel takes
     * them; called again when it drains. Event loop only.
     */
    void continueCatchUp(Channel ch) {
        if (ch != channel || !synced) {
            return;
        }
        if (catchUp != null) {
            while (catchUpNext < catchUp.size() && ch.isWritable()) {
                int end = Math.min(catchUp.size(), catchUpNext + CATCH_UP_BATCH);
                for (; catchUpNext < end; catchUpNext++) {
                    byte[] line = catchUp.get(catchUpNext);
                    ch.write(ch.alloc().buffer(line.length + 1).writeBytes(line).writeByte('\n'), ch.voidPromise());
                }
                ch.flush();
            }
            if (catchUpNext < catchUp.size()) {
                return;
            }
            catchUp = null;
        }
        for (At update; ch.isWritable() && (update = pending.poll()) != null; ) {
            transmit(ch, update);
        }
        ch.flush();
    }

    private void onClosed(InetSocketAddress target) {
        channel = null;
        catchUp = null;
        authenticated = false;
        synced = false;
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
        // except a reminder every 30 failures (about every 2.5 minutes at the 5 s cap).
        if (failures == 1 || failures % 30 == 0) {
            LOG.info("peer link to {} unavailable ({}), attempt {}; retrying in {} ms", peer, reason, failures, delay);
        } else {
            LOG.debug("peer link to {} unavailable ({}), attempt {}; retrying in {} ms", peer, reason, failures, delay);
        }
        retry = loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }
}
