package dev.herd.server.peer;

import dev.herd.protocol.Digest;
import dev.herd.protocol.Prints;
import dev.herd.protocol.Sums;
import dev.herd.server.log.ServerLog;
import dev.herd.server.store.Replica;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Anti-entropy on one peer link: keeps the peer's store holding everything this server's holds. The
 * peer answers the greeting with its digest; if that differs, the two compare sums per bucket of client
 * ids ({@link Round}) and this server sends only its records the peer lacks, paced by the channel's
 * writability and always behind the live updates. They compare again whenever updates for the peer
 * were dropped, and whenever a probe's answer differs (at most every {@value #PERIODIC_MILLIS} ms).
 * Confined to the link's loop.
 */
final class LinkComparison {
    private static final ServerLog LOG = ServerLog.of(LinkComparison.class);
    static final long DIGEST_TIMEOUT_MILLIS = 2000;
    /** The least time between two comparisons started because a probe's answer differed. */
    static final long PERIODIC_MILLIS = 10_000;
    /** A comparison the peer has not answered within this is given up (and may start again). */
    static final long ROUND_TIMEOUT_MILLIS = 30_000;
    private static final int CATCH_UP_BATCH = 128;
    private static final String PERIODIC = "a probe's answer differs";

    private final String peer;
    private final EventLoop loop;
    private final Replica replica;
    /** Where a comparison's walks of the store run: never on the event loop. */
    private final Executor comparisons;
    private final LinkOutput output;
    /** The channel the link carries updates on now (open and authenticated), or null. */
    private final Supplier<@Nullable Channel> open;
    /** Whether the peer's digest came (or its wait timed out) on the current channel: comparisons may start. */
    private boolean digestSeen;
    /** The peer's record count, from its last digest: it sizes the buckets. */
    private long theirCount;
    /** Why a comparison should start as soon as the link allows, or null. */
    private @Nullable String wanted;
    /** The comparison under way on the current channel, or null. */
    private @Nullable Round round;
    private long roundStarted = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(PERIODIC_MILLIS);
    private final SplittableRandom salts = new SplittableRandom();
    /** The records a comparison found the peer lacks: those left to send, and where we are. */
    private @Nullable List<byte[]> catchUp;
    private int catchUpNext;

    LinkComparison(String peer, EventLoop loop, Replica replica, Executor comparisons, LinkOutput output,
                   Supplier<@Nullable Channel> open) {
        this.peer = peer;
        this.loop = loop;
        this.replica = replica;
        this.comparisons = comparisons;
        this.output = output;
        this.open = open;
    }

    /** A comparison should start as soon as the link allows, for {@code reason} (unless one is wanted already). */
    void want(String reason) {
        if (wanted == null) {
            wanted = reason;
        }
    }

    /**
     * Once a second: a comparison the peer never answered is given up, and one that is wanted starts
     * if nothing else started it (the triggers start it at once when they can).
     */
    void tick() {
        if (round != null && System.nanoTime() - roundStarted > TimeUnit.MILLISECONDS.toNanos(ROUND_TIMEOUT_MILLIS)) {
            LOG.warn("peer link to {}: no answer to a store comparison within {} ms; giving it up", peer, ROUND_TIMEOUT_MILLIS);
            round = null;
        }
        Channel ch = open.get();
        if (ch != null) {
            startIfWanted(ch);
        }
    }

    /**
     * Starts the comparison that is wanted, once the peer reads and no other is under way. The updates
     * still kept for the peer are dropped then: they are in this server's store, so the comparison sends
     * those the peer lacks, in batches and after less waiting than the queue would take to replay.
     */
    private void startIfWanted(Channel ch) {
        if (wanted == null || ch != open.get() || !digestSeen || round != null || catchUp != null || !ch.isWritable()) {
            return;
        }
        output.dropKept();
        int bits = BucketSums.bitsFor(Math.max(theirCount, replica.digest().count()));
        Round started = new Round(bits, salts.nextInt(), wanted);
        round = started;
        wanted = null;
        roundStarted = System.nanoTime();
        List<Sums> sums = started.open(replica);
        log(started, "comparing stores ({}; {} buckets)", started.reason, 1 << bits);
        output.writeBatch(ch);
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

    /**
     * The link carries updates from now on: what waited while it was down goes first, at once. The
     * peer's digest then decides whether the stores are compared; without one in time, they are.
     */
    void opened(Channel ch) {
        digestSeen = false;
        int kept = output.kept();
        continueCatchUp(ch);
        if (kept > 0) {
            LOG.info("peer link to {}: sent the {} updates kept while it was down", peer, kept);
        }
        loop.schedule(() -> {
            if (ch == open.get() && !digestSeen) {
                digestSeen = true;
                want("no digest within " + DIGEST_TIMEOUT_MILLIS + " ms");
                startIfWanted(ch);
            }
        }, DIGEST_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * The peer's digest, on opening or answering a probe: if it differs from this server's, compare
     * (on opening at once; after a probe, at most every {@value #PERIODIC_MILLIS} ms, since under load
     * updates in flight make digests differ for a moment).
     */
    void onDigest(Channel ch, Digest theirs) {
        if (ch != open.get()) {
            return;
        }
        theirCount = theirs.count();
        boolean same = theirs.sameRecordsAs(replica.digest());
        if (!digestSeen) {
            digestSeen = true;
            if (same) {
                LOG.info("peer link to {}: its {} records match this server's; nothing to compare", peer, theirs.count());
            } else {
                want("its digest on opening differs");
            }
        } else if (!same && wanted == null
                && System.nanoTime() - roundStarted >= TimeUnit.MILLISECONDS.toNanos(PERIODIC_MILLIS)) {
            wanted = PERIODIC;
        }
        startIfWanted(ch);
    }

    /**
     * The peer's answer to this link's sums: its fingerprints in the buckets that differ, then the end;
     * at the end, this server's records it lacks follow.
     */
    void onPrints(Channel ch, Prints answer) {
        if (ch != open.get() || round == null) {
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
            loop.execute(() -> finished(ch, done, missing));
        });
    }

    /** A comparison's result: the records the peer lacks go out behind the live updates. */
    private void finished(Channel ch, Round done, List<byte[]> missing) {
        if (ch != open.get() || round != done) {
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
     * them; called again when it drains. Live updates always go first.
     */
    void continueCatchUp(Channel ch) {
        if (ch != open.get()) {
            return;
        }
        startIfWanted(ch);
        List<byte[]> records = catchUp;
        if (output.sendKept(ch) && records != null) {
            while (catchUpNext < records.size() && ch.isWritable()) {
                // A batch of records goes as one buffer: one allocation and one outbound entry, not hundreds.
                int end = Math.min(records.size(), catchUpNext + CATCH_UP_BATCH);
                int bytes = 0;
                for (int i = catchUpNext; i < end; i++) {
                    bytes += records.get(i).length + 1;
                }
                ByteBuf batch = ch.alloc().buffer(bytes);
                for (; catchUpNext < end; catchUpNext++) {
                    batch.writeBytes(records.get(catchUpNext)).writeByte('\n');
                }
                ch.writeAndFlush(batch, ch.voidPromise());
            }
            if (catchUpNext == records.size()) {
                catchUp = null;
            }
        }
        ch.flush();
        startIfWanted(ch);
    }

    /** The link closed: what was under way on it is forgotten; its next opening compares again. */
    void closed() {
        catchUp = null;
        digestSeen = false;
        round = null;
        wanted = null;
    }
}
