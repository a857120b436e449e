package dev.herd.server.store;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.protocol.Message;
import dev.herd.protocol.MessageParser;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    private final Stripe[] stripes = new Stripe[STRIPES];
    /** Bytes the store may hold (lines and overhead); a new client id past it is refused. */
    private final long maxBytes;
    private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong refused = new java.util.concurrent.atomic.AtomicLong();
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
            stripes[i] = new Stripe();
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

    /** Keeps {@code record} if it supersedes the stored one and, for a new client, if there is room. */
    public Outcome put(At record) {
        byte[] line = record.canonicalLine().toByteArray();
        int idFrom = idStart(line);
        int idTo = idEnd(line, idFrom);
        int hash = hash(line, idFrom, idTo);
        int bucket = bucketOf(line, idFrom, idTo);
        Stripe stripe = stripes[bucket & (STRIPES - 1)];
        synchronized (stripe) {
            int slot = stripe.slotOf(line, idFrom, idTo, hash);
            byte[] replaced = stripe.lines[slot];
            if (replaced == null) {
                long growth = line.length + RECORD_OVERHEAD;
                if (bytes.get() + growth > maxBytes) {
                    refused.incrementAndGet();
                    return Outcome.FULL;
                }
                long lineHash = lineHash(line, 0, line.length);
                stripe.add(slot, line, hash, lineHash, bucket);
                bucketSums[bucket] ^= lineHash;
                bytes.addAndGet(growth);
            } else {
                if (!At.supersedes(record.time(), line, replaced)) {
                    return Outcome.NOT_NEWER;
                }
                long change = lineHash(line, 0, line.length) ^ lineHash(replaced, 0, replaced.length);
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
        int hash = hash(id, 0, id.length);
        Stripe stripe = stripes[bucketOf(id, 0, id.length) & (STRIPES - 1)];
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
        for (Stripe stripe : stripes) {
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
    public dev.herd.protocol.Digest digest() {
        long xor = 0;
        long count = 0;
        for (Stripe stripe : stripes) {
            synchronized (stripe) {
                xor ^= stripe.digest;
                count += stripe.count;
            }
        }
        return dev.herd.protocol.Digest.of(count, Long.toHexString(xor));
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
    public void forEachIn(int bits, java.util.BitSet wanted, Visitor visitor) {
        int shift = dev.herd.protocol.Sums.MAX_BITS - bits;
        for (Stripe stripe : stripes) {
            synchronized (stripe) {
                for (int slot = 0; slot < stripe.lines.length; slot++) {
                    byte[] line = stripe.lines[slot];
                    if (line != null) {
                        int bucket = stripe.buckets[slot] >>> shift;
                        if (wanted.get(bucket)) {
                            visitor.record(bucket, line, lineHash(line, 0, line.length));
                        }
                    }
                }
            }
        }
    }

    /**
     * The line hash of {@code b[from, to)}: the digest and the bucket sums XOR these of whole lines,
     * and a client id's bucket is the top bits of this of the id. Not keyed: every server must compute
     * the same (docs/protocol.md gives the definition). Eight bytes a step, not FNV-1a's one: it runs
     * twice for every update the store keeps, and byte by byte it was a quarter of the store's time.
     */
    static long lineHash(byte[] b, int from, int to) {
        long h = 0x9e3779b97f4a7c15L ^ (to - from);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            h = step(h, (long) LONGS.get(b, i));
        }
        if (i < to) {
            long last = 0;
            for (int shift = 0; i < to; i++, shift += 8) {
                last |= (b[i] & 0xffL) << shift;
            }
            h = step(h, last);
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        return h ^ (h >>> 33);
    }

    private static long step(long h, long word) {
        return Long.rotateLeft(h ^ word * 0xff51afd7ed558ccdL, 31) * 0xc4ceb9fe1a85ec53L;
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** The finest bucket of the client id {@code b[from, to)}. */
    static int bucketOf(byte[] b, int from, int to) {
        return (int) (lineHash(b, from, to) >>> (64 - dev.herd.protocol.Sums.MAX_BITS));
    }

    public int size() {
        int size = 0;
        for (Stripe stripe : stripes) {
            synchronized (stripe) {
                size += stripe.count;
            }
        }
        return size;
    }

    /** The client id is the fourth field of {@code AT server diff id location time}. */
    static int idStart(byte[] line) {
        int spaces = 0;
        for (int i = 0; i < line.length; i++) {
            if (line[i] == ' ' && ++spaces == 3) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("not an AT line");
    }

    static int idEnd(byte[] line, int start) {
        int end = start;
        while (end < line.length && line[end] != ' ') {
            end++;
        }
        return end;
    }

    /** Keyed per process ({@link SipHash}): no chosen set of ids collides in another process's tables. */
    static int hash(byte[] b, int from, int to) {
        long h = SipHash.hash(b, from, to);
        return (int) (h ^ (h >>> 32));
    }

    /** One open-addressing table; every method runs under the stripe's lock. */
    private static final class Stripe {
        private byte[][] lines = new byte[16][];
        private int[] hashes = new int[16];
        /**
         * Each record's client id's finest bucket: kept (2 bytes) so that a comparison's scan need not
         * hash every id; line hashes are not (8 bytes a record), but computed for the buckets scanned.
         */
        private char[] buckets = new char[16];
        private int count;
        /** XOR of the line hashes of this stripe's records. */
        private long digest;

        /** Stores a new client's record in its empty {@code slot}. */
        void add(int slot, byte[] line, int hash, long lineHash, int bucket) {
            put(slot, line, hash, (char) bucket);
            count++;
            digest ^= lineHash;
            if (count * 4 > lines.length * 3) {
                grow();
            }
        }

        /** Replaces the record in {@code slot} with a newer one of the same client. */
        void replace(int slot, byte[] line, long change) {
            lines[slot] = line;
            digest ^= change;
        }

        byte[] find(byte[] id, int hash) {
            return lines[slotOf(id, 0, id.length, hash)];
        }

        /** The slot holding the id {@code b[from, to)}, or the empty slot where it would go. */
        int slotOf(byte[] b, int from, int to, int hash) {
            int mask = lines.length - 1;
            for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
                byte[] stored = lines[slot];
                if (stored == null) {
                    return slot;
                }
                if (hashes[slot] == hash && sameId(stored, b, from, to)) {
                    return slot;
                }
            }
        }

        private static boolean sameId(byte[] storedLine, byte[] b, int from, int to) {
            int start = idStart(storedLine);
            int length = to - from;
            if (start + length > storedLine.length || (start + length < storedLine.length && storedLine[start + length] != ' ')) {
                return false;
            }
            return Arrays.equals(storedLine, start, start + length, b, from, to);
        }

        private void put(int slot, byte[] line, int hash, char bucket) {
            lines[slot] = line;
            hashes[slot] = hash;
            buckets[slot] = bucket;
        }

        private void grow() {
            byte[][] oldLines = lines;
            int[] oldHashes = hashes;
            char[] oldBuckets = buckets;
            int capacity = oldLines.length * 2;
            lines = new byte[capacity][];
            hashes = new int[capacity];
            buckets = new char[capacity];
            int mask = capacity - 1;
            for (int i = 0; i < oldLines.length; i++) {
                if (oldLines[i] != null) {
                    int slot = oldHashes[i] & mask;
                    while (lines[slot] != null) {
                        slot = (slot + 1) & mask;
                    }
                    put(slot, oldLines[i], oldHashes[i], oldBuckets[i]);
                }
            }
        }
    }
}
