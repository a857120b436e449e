package dev.herd.server.store;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.protocol.Digest;
import dev.herd.protocol.Message;
import dev.herd.protocol.MessageParser;
import dev.herd.protocol.Sums;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The newest record of every client this server has heard of, from its own clients or its peers.
 *
 * <p>Compact, because a herd may hold millions of clients: a record is kept as nothing but its AT
 * line's bytes, in open-addressing tables; the client id and time are read from the line itself, so
 * there is no key object and no map node (about 136 bytes a client, against 600 for a map of record
 * objects). {@link #get} parses the line back into an {@link At}; only WHATSAT does that.
 *
 * <p>For anti-entropy each record also carries its client id's bucket (the top 16 bits of a hash
 * every server computes alike), and the store keeps, per bucket, the XOR of its records' line hashes:
 * two servers compare these sums and look closer only where they differ ({@link dev.herd.server.store.Replica}).
 *
 * <p>The one structure shared by all event loops: the tables are split into stripes by the id's
 * bucket, each guarded by its own lock, so two loops offering records for one client cannot both win,
 * and a bucket's sum is only ever changed under its stripe's lock (a plain write, no compare-and-set).
 * The bucket is not keyed (every server must bucket alike), so ids could be chosen to share a stripe;
 * that costs only lock contention: inside a stripe, slots are found by the keyed SipHash.
 */
public final class LocationStore implements Replica {
    private static final int STRIPES = 64;
    /** What a record costs beyond its line: its slot, id hash and bucket, and the array header, rounded up. */
    public static final int RECORD_OVERHEAD = 48;
    /** Per finest bucket of client ids, the XOR of its records' line hashes: what anti-entropy compares. */
    private final long[] bucketSums = new long[BUCKETS];
    private final StoreStripe[] stripes = new StoreStripe[STRIPES];
    /** Bytes the store may hold (lines and overhead); a new client id past it is refused. */
    private final long maxBytes;
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    /** Told every line the store keeps (the journal); set once, before the server accepts. */
    private volatile Consumer<byte[]> onKept = line -> { };

    /** A store bounded by nothing but the heap. */
    public LocationStore() {
        this(Long.MAX_VALUE);
    }

    /** A store that refuses new client ids once its records take {@code maxBytes}. */
    public LocationStore(long maxBytes) {
        this.maxBytes = maxBytes;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new StoreStripe();
        }
    }

    /** What became of an offered record. */
    public enum Outcome {
        /** Stored: it is newer than what was there, or the first for its client. */
        KEPT,
        /** Not stored: the stored record is as new or newer. */
        NOT_NEWER,
        /** Not stored: a new client id, and the store is at its limit. */
        FULL
    }

    /**
     * Keeps {@code record} if it supersedes the stored one (see {@link At#supersedes}).
     *
     * @return whether it was kept, and so must be flooded on
     */
    public boolean offer(At record) {
        return put(record) == Outcome.KEPT;
    }

    /** The line hash of a record's AT line, as digests and sums use it (docs/protocol.md defines it). */
    public static long lineHashOf(At record) {
        byte[] line = record.canonicalLine().toByteArray();
        return RecordLines.lineHash(line, 0, line.length);
    }

    /** Keeps {@code record} if it supersedes the stored one and, for a new client, if there is room. */
    public Outcome put(At record) {
        byte[] line = record.canonicalLine().toByteArray();
        int idFrom = RecordLines.idStart(line);
        int idTo = RecordLines.idEnd(line, idFrom);
        int hash = RecordLines.hash(line, idFrom, idTo);
        int bucket = RecordLines.bucketOf(line, idFrom, idTo);
        StoreStripe stripe = stripes[bucket & (STRIPES - 1)];
        synchronized (stripe) {
            int slot = stripe.slotOf(line, idFrom, idTo, hash);
            byte[] replaced = stripe.lines[slot];
            if (replaced == null) {
                long growth = line.length + RECORD_OVERHEAD;
                if (bytes.get() + growth > maxBytes) {
                    refused.incrementAndGet();
                    return Outcome.FULL;
                }
                long lineHash = RecordLines.lineHash(line, 0, line.length);
                stripe.add(slot, line, hash, lineHash, bucket);
                bucketSums[bucket] ^= lineHash;
                bytes.addAndGet(growth);
            } else {
                if (!At.supersedes(record.time(), line, replaced)) {
                    return Outcome.NOT_NEWER;
                }
                long change = RecordLines.lineHash(line, 0, line.length) ^ RecordLines.lineHash(replaced, 0, replaced.length);
                stripe.replace(slot, line, change);
                bucketSums[bucket] ^= change;
                bytes.addAndGet(line.length - replaced.length);
            }
        }
        onKept.accept(line);
        return Outcome.KEPT;
    }

    /** What the records take, by the store's own count (lines and a fixed overhead each). */
    public long bytes() {
        return bytes.get();
    }

    /** Records refused since start because the store was full. */
    public long refusedFull() {
        return refused.get();
    }

    /** Tells {@code listener} every line kept from now on (off the stripe's lock). */
    public void onKept(Consumer<byte[]> listener) {
        this.onKept = listener;
    }

    /** The stored record of {@code clientId}, or {@code null}. */
    public At get(Bytes clientId) {
        byte[] id = clientId.toByteArray();
        int hash = RecordLines.hash(id, 0, id.length);
        StoreStripe stripe = stripes[RecordLines.bucketOf(id, 0, id.length) & (STRIPES - 1)];
        byte[] line;
        synchronized (stripe) {
            line = stripe.find(id, hash);
        }
        if (line == null) {
            return null;
        }
        Message parsed = MessageParser.parse(line);
        if (!(parsed instanceof At at)) {
            throw new IllegalStateException("stored line is not an AT line: " + Bytes.copyOf(line).toLogString());
        }
        return at;
    }

    /**
     * Every stored record's AT line, without line ending, as of now (a peer catching up is sent these).
     * The arrays are the store's own and never change: records are replaced, not edited.
     */
    public List<byte[]> snapshotLines() {
        List<byte[]> lines = new ArrayList<>();
        for (StoreStripe stripe : stripes) {
            synchronized (stripe) {
                for (byte[] line : stripe.lines) {
                    if (line != null) {
                        lines.add(line);
                    }
                }
            }
        }
        return lines;
    }

    /**
     * How many records and an order-independent 64-bit hash of all their lines: two servers with the
     * same records have the same digest, whatever order the records came in.
     */
    @Override
    public Digest digest() {
        long xor = 0;
        long count = 0;
        for (StoreStripe stripe : stripes) {
            synchronized (stripe) {
                xor ^= stripe.digest;
                count += stripe.count;
            }
        }
        return Digest.of(count, Long.toHexString(xor));
    }

    @Override
    public long[] bucketSums() {
        long[] copy = new long[BUCKETS];
        for (int s = 0; s < STRIPES; s++) {
            synchronized (stripes[s]) {
                for (int b = s; b < BUCKETS; b += STRIPES) {
                    copy[b] = bucketSums[b];
                }
            }
        }
        return copy;
    }

    @Override
    public void forEachIn(int bits, BitSet wanted, Visitor visitor) {
        int shift = Sums.MAX_BITS - bits;
        for (StoreStripe stripe : stripes) {
            synchronized (stripe) {
                for (int slot = 0; slot < stripe.lines.length; slot++) {
                    byte[] line = stripe.lines[slot];
                    if (line != null) {
                        int bucket = stripe.buckets[slot] >>> shift;
                        if (wanted.get(bucket)) {
                            visitor.record(bucket, line, RecordLines.lineHash(line, 0, line.length));
                        }
                    }
                }
            }
        }
    }

    public int size() {
        int size = 0;
        for (StoreStripe stripe : stripes) {
            synchronized (stripe) {
                size += stripe.count;
            }
        }
        return size;
    }
}
