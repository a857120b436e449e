package dev.herd.server.peer;

import dev.herd.protocol.At;
import dev.herd.protocol.Challenge;
import dev.herd.protocol.Digest;
import dev.herd.protocol.PeerGreeting;
import dev.herd.protocol.Prints;
import dev.herd.protocol.Proof;
import dev.herd.protocol.Sums;
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
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One persistent outbound link to a peer's peer port, with its reconnect watchdog. The moment the
 * link is open (and, with a herd secret, authenticated) it carries live updates; beside them it keeps
 * the peer's store holding everything this server's holds (anti-entropy). The peer answers the greeting
 * with its digest; if that differs from this server's, the two compare sums per bucket of client ids
 * ({@link Round}) and this server sends only its records the peer lacks, paced by the channel's
 * writability and always behind the live updates. They compare again whenever updates for the peer
 * were dropped, and whenever a probe's answer differs (at most every {@value #PERIODIC_MILLIS} ms).
 * While the link is down or the peer does not read, updates for it wait in a bounded queue and go out
 * first when it is back; a full queue is dropped, never blocking a client, and a comparison follows;
 * the watchdog retries with capped exponential backoff, resolving the peer's address again each
 * attempt, and at once when the peer links to this server ({@link #kick}).
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
    /** Updates kept for a peer while its link is down: enough for a restart, bounded in memory. */
    static final int MAX_PENDING = 10_000;

    private final PeerGreeting greeting;
    private final String peer;
    private final Supplier<InetSocketAddress> address;
    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final Backoff backoff;
    private final HerdSecret secret;
    private final Replica replica;
    /** Where a comparison's walks of the store run: never on the event loop. */
    private final java.util.concurrent.Executor comparisons;
    /** Whether the peer's digest came (or its wait timed out) on the current channel: comparisons may start. */
    private boolean digestSeen;
    static final long DIGEST_TIMEOUT_MILLIS = 2000;
    /** The least time between two comparisons started because a probe's answer differed. */
    static final long PERIODIC_MILLIS = 10_000;
    /** A comparison the peer has not answered within this is given up (and may start again). */
    static final long ROUND_TIMEOUT_MILLIS = 30_000;
    /** The peer's record count, from its last digest: it sizes the buckets. */
    private long theirCount;
    /** Why a comparison should start as soon as the link allows, or null. */
    private String wanted;
    /** The comparison under way on the current channel, or null. */
    private Round round;
    private long roundStarted = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(PERIODIC_MILLIS);
    private final java.util.SplittableRandom salts = new java.util.SplittableRandom();
    /** The records a comparison found the peer lacks: those left to send, and where we are. */
    private List<byte[]> catchUp;
    private int catchUpNext;
    private static final int CATCH_UP_BATCH = 128;
    /**
     * Whether updates may go out on the current channel: at once without a secret, after the proof with
     * one. Volatile for {@link #isUp()}, read from other threads; written only on the loop.
     */
    private volatile boolean authenticated;
    /** The challenge this link sent the peer, while its proof is awaited. */
    private String ourNonce;
    /** A connect attempt is under way. */
    private boolean connecting;
    private final ProtocolLog lines;
    /** The link as the protocol log names it, for the channel it was made for (the link's loop's own). */
    private String who;
    private Channel whoChannel;
    private final Runnable flushTask = this::flush;
    /**
     * Updates other threads (a client connection's loop) hand this link, taken in one task however
     * many arrive meanwhile: one hand-over and one wake-up of the link's loop per batch, not per update.
     */
    private final java.util.Queue<Outgoing> inbox = io.netty.util.internal.PlatformDependent.newMpscQueue();
    private final java.util.concurrent.atomic.AtomicBoolean inboxScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    private final Runnable drainInbox = this::drainInbox;
    /** Update lines written since the last flush, sent as one buffer: one outbound entry and one write per batch. */
    private io.netty.buffer.ByteBuf out;
    /** Past this, a batch is handed to the channel at once, so the link's output budget sees it. */
    private static final int BATCH_BYTES = 64 * 1024;

    /** Volatile for {@link #isUp()}; written only on the loop. */
    private volatile Channel channel;
    private int failures;
    private boolean closed;
    private boolean flushScheduled;
    /** Updates sent when the last probe went out. */
    private long sentAtProbe;
    private long dropped;
    /** For the admin endpoint: written on the link's loop, read from any thread. */
    private final SingleWriterCounter sent = new SingleWriterCounter();
    private final SingleWriterCounter overflowed = new SingleWriterCounter();
    private final SingleWriterCounter reconnects = new SingleWriterCounter();
    private boolean everOpened;
    private final ArrayDeque<At> pending = new ArrayDeque<>();
    /** Acks of updates written since the last flush: told once it is done. */
    private final ArrayDeque<FloodAck> flushAcks = new ArrayDeque<>();
    private ScheduledFuture<?> retry;

    PeerLink(PeerGreeting greeting, String peer, Supplier<InetSocketAddress> address, Bootstrap bootstrap, EventLoop loop,
             Backoff backoff, HerdSecret secret, Replica replica, java.util.concurrent.Executor comparisons, ProtocolLog lines) {
        this.comparisons = comparisons;
        this.lines = lines;
        this.secret = secret;
        this.replica = replica;
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
        loop.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** How often a link looks at its comparisons. */
    static final long TICK_MILLIS = 1000;

    /**
     * Once a second: a comparison the peer never answered is given up, and one that is wanted starts
     * if nothing else started it (the triggers start it at once when they can).
     */
    private void tick() {
        if (round != null && System.nanoTime() - roundStarted > TimeUnit.MILLISECONDS.toNanos(ROUND_TIMEOUT_MILLIS)) {
            LOG.warn("peer link to {}: no answer to a store comparison within {} ms; giving it up", peer, ROUND_TIMEOUT_MILLIS);
            round = null;
        }
        Channel ch = channel;
        if (ch != null) {
            startRoundIfWanted(ch);
        }
    }

    /**
     * Starts the comparison that is wanted, once the peer reads and no other is under way. The updates
     * still kept for the peer are dropped then: they are in this server's store, so the comparison sends
     * those the peer lacks, in batches and after less waiting than the queue would take to replay.
     */
    private void startRoundIfWanted(Channel ch) {
        if (wanted == null || closed || ch != channel || !authenticated || !digestSeen || round != null
                || catchUp != null || !ch.isWritable()) {
            return;
        }
        if (!pending.isEmpty()) {
            LOG.debug("peer link to {}: {} kept updates left to the comparison", peer, pending.size());
            pending.clear();
        }
        int bits = BucketSums.bitsFor(Math.max(theirCount, replica.digest().count()));
        round = new Round(bits, salts.nextInt(), wanted);
        wanted = null;
        roundStarted = System.nanoTime();
        List<Sums> sums = round.open(replica);
        log(round, "comparing stores ({}; {} buckets)", round.reason, 1 << bits);
        writeBatch(ch);
        for (Sums line : sums) {
            ch.write(line, ch.voidPromise());
        }
        ch.flush();
    }

    /** A comparison's lines are INFO when a fault started it, DEBUG when it is the periodic one. */
    private void log(Round r, String format, Object... args) {
        String line = "peer link to {}: " + format;
        Object[] all = new Object[args.length + 1];
        all[0] = peer;
        System.arraycopy(args, 0, all, 1, args.length);
        if (r.reason.equals(PERIODIC)) {
            LOG.debug(line, all);
        } else {
            LOG.info(line, all);
        }
    }

    private static final String PERIODIC = "a probe's answer differs";

    /**
     * Sends an update if the link is up and keeps up, else keeps it for later; {@code ack} (if not null)
     * hears once it is in the socket, or kept. Any thread.
     */
    void send(At update, FloodAck ack) {
        if (loop.inEventLoop()) {
            write(update, ack);
            return;
        }
        inbox.offer(new Outgoing(update, ack));
        if (inboxScheduled.compareAndSet(false, true)) {
            loop.execute(drainInbox);
        }
    }

    private void drainInbox() {
        // Cleared before taking, so an update offered from now on schedules another drain.
        inboxScheduled.set(false);
        for (Outgoing next; (next = inbox.poll()) != null; ) {
            write(next.update(), next.ack());
        }
    }

    /** An update handed over from another thread, and whom to tell once it is sent. */
    private record Outgoing(At update, FloodAck ack) {
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

    private void write(At update, FloodAck ack) {
        Channel ch = channel;
        // Behind earlier updates or a full outbound buffer, an update waits its turn; never behind a catch-up.
        if (ch == null || !ch.isActive() || !authenticated || !pending.isEmpty() || !ch.isWritable()) {
            keep(update);
            if (ack != null) {
                ack.done();
            }
            return;
        }
        transmit(ch, update);
        if (ack != null) {
            // Done once the flush has handed it to the socket (as far as the socket takes it): a peer
            // that stops reading, its link still open, must not hold any client's reply.
            flushAcks.add(ack);
        }
    }

    /**
     * Keeps an update until the link takes it. When the queue is full, all it holds is dropped and a
     * comparison is wanted instead: it sends the peer exactly what it then lacks, in batches, so
     * nothing is lost and the queue need not be replayed.
     */
    private void keep(At update) {
        if (pending.size() == MAX_PENDING) {
            overflowed.add(pending.size());
            pending.clear();
            if (wanted == null) {
                wanted = "updates were dropped for it";
            }
            if (dropped++ == 0) {
                LOG.warn("peer {}: {} updates waiting for the link; dropping them (a store comparison sends what it lacks"
                        + " once it reads again)", peer, MAX_PENDING);
            }
        }
        pending.add(update);
    }

    private void transmit(Channel ch, At update) {
        if (out == null) {
            out = ch.alloc().ioBuffer(4096);
        }
        update.canonicalLine().writeTo(out);
        out.writeByte('\n');
        if (out.readableBytes() >= BATCH_BYTES) {
            writeBatch(ch);
        }
        sent.increment();
        if (lines.enabled()) {
            if (whoChannel != ch) {
                who = peer + " " + ch.remoteAddress();
                whoChannel = ch;
            }
            lines.begin().text(who).text(" -> ").escaped(update.canonicalLine()).end();
        }
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flushTask);
        }
    }

    /** Hands the batch of update lines to the channel: before anything else is written to it, and at each flush. */
    private void writeBatch(Channel ch) {
        io.netty.buffer.ByteBuf batch = out;
        if (batch != null) {
            out = null;
            ch.write(batch, ch.voidPromise());
        }
    }

    private void flush() {
        flushScheduled = false;
        Channel ch = channel;
        if (ch != null) {
            writeBatch(ch);
            ch.flush();
        } else if (out != null) {
            out.release();
            out = null;
        }
        for (FloodAck ack; (ack = flushAcks.poll()) != null; ) {
            ack.done();
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
            dropped = 0;
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
        if (first || ch.isWritable() && sent.get() > sentAtProbe) {
            // A peer that takes the updates this link sends (the channel stays writable while more go out)
            // is alive, only busy: its answer waits behind them. Probe again rather than cut a busy link.
            sentAtProbe = sent.get();
            writeBatch(ch);
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

    /**
     * The link carries updates from now on: what waited while it was down goes first, at once. The
     * peer's digest then decides whether the stores are compared; without one in time, they are.
     */
    private void opened(Channel ch) {
        digestSeen = false;
        int kept = pending.size();
        continueCatchUp(ch);
        if (kept > 0) {
            LOG.info("peer link to {}: sent the {} updates kept while it was down", peer, kept);
        }
        loop.schedule(() -> {
            if (ch == channel && !digestSeen && ch.isActive()) {
                digestSeen = true;
                wanted = "no digest within " + DIGEST_TIMEOUT_MILLIS + " ms";
                startRoundIfWanted(ch);
            }
        }, DIGEST_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * The peer's digest, on opening or answering a probe: if it differs from this server's, compare
     * (on opening at once; after a probe, at most every {@value #PERIODIC_MILLIS} ms, since under load
     * updates in flight make digests differ for a moment). Event loop only.
     */
    void onDigest(Channel ch, Digest theirs) {
        if (ch != channel || !authenticated) {
            return;
        }
        theirCount = theirs.count();
        boolean same = theirs.sameRecordsAs(replica.digest());
        if (!digestSeen) {
            digestSeen = true;
            if (same) {
                LOG.info("peer link to {}: its {} records match this server's; nothing to compare", peer, theirs.count());
            } else if (wanted == null) {
                wanted = "its digest on opening differs";
            }
        } else if (!same && wanted == null
                && System.nanoTime() - roundStarted >= TimeUnit.MILLISECONDS.toNanos(PERIODIC_MILLIS)) {
            wanted = PERIODIC;
        }
        startRoundIfWanted(ch);
    }

    /**
     * The peer's answer to this link's sums: its fingerprints in the buckets that differ, then the end;
     * at the end, this server's records it lacks follow. Event loop only.
     */
    void onPrints(Channel ch, Prints answer) {
        if (ch != channel || round == null) {
            return;
        }
        if (!answer.end()) {
            round.take(answer);
            return;
        }
        // Finding what the peer lacks walks the store: off the event loop, and back to it with the result.
        Round done = round;
        comparisons.execute(() -> {
            List<byte[]> missing = done.missing(replica);
            loop.execute(() -> send(ch, done, missing));
        });
    }

    /** A comparison's result: the records the peer lacks go out behind the live updates. Event loop only. */
    private void send(Channel ch, Round done, List<byte[]> missing) {
        if (ch != channel || round != done) {
            return; // the link closed meanwhile: its next opening compares again
        }
        round = null;
        log(done, "{} buckets differ; sending the {} records it lacks", done.differing(), missing.size());
        if (!missing.isEmpty()) {
            catchUp = missing;
            catchUpNext = 0;
        }
        continueCatchUp(ch);
    }

    /**
     * Sends the updates that waited, then the next records of the catch-up, while the channel takes
     * them; called again when it drains. Live updates always go first. Event loop only.
     */
    void continueCatchUp(Channel ch) {
        if (ch != channel || !authenticated) {
            return;
        }
        startRoundIfWanted(ch);
        for (At update; ch.isWritable() && (update = pending.poll()) != null; ) {
            transmit(ch, update);
        }
        writeBatch(ch);
        if (catchUp != null && pending.isEmpty()) {
            while (catchUpNext < catchUp.size() && ch.isWritable()) {
                // A batch of records goes as one buffer: one allocation and one outbound entry, not hundreds.
                int end = Math.min(catchUp.size(), catchUpNext + CATCH_UP_BATCH);
                int bytes = 0;
                for (int i = catchUpNext; i < end; i++) {
                    bytes += catchUp.get(i).length + 1;
                }
                io.netty.buffer.ByteBuf batch = ch.alloc().buffer(bytes);
                for (; catchUpNext < end; catchUpNext++) {
                    batch.writeBytes(catchUp.get(catchUpNext)).writeByte('\n');
                }
                ch.writeAndFlush(batch, ch.voidPromise());
            }
            if (catchUpNext == catchUp.size()) {
                catchUp = null;
            }
        }
        ch.flush();
        startRoundIfWanted(ch);
    }

    private void onClosed(InetSocketAddress target) {
        channel = null;
        if (out != null) {
            out.release();
            out = null;
        }
        ourNonce = null;
        catchUp = null;
        authenticated = false;
        digestSeen = false;
        round = null;
        wanted = null;
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
