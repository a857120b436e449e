package dev.herd.server.store;

import dev.herd.protocol.Digest;
import dev.herd.protocol.Sums;

import java.util.BitSet;

/**
 * What anti-entropy needs of a server's store: its digest, its sums per bucket of client ids, and its
 * records in chosen buckets. A record's bucket comes from a hash of its client id that every server
 * computes alike, at the finest resolution ({@value Sums#MAX_BITS} bits); a coarser bucketing takes its
 * leading bits.
 */
public interface Replica {
    /** Buckets at the finest resolution. */
    int BUCKETS = 1 << Sums.MAX_BITS;

    /** How many records, and an order-independent hash of them all. */
    Digest digest();

    /** For each of the {@link #BUCKETS} finest buckets, the XOR of its records' 64-bit line hashes; a copy. */
    long[] bucketSums();

    /**
     * Tells {@code visitor} every record whose bucket, at {@code bits} bits, is set in {@code buckets};
     * the line is the store's own array, never to be changed.
     */
    void forEachIn(int bits, BitSet buckets, Visitor visitor);

    interface Visitor {
        void record(int bucket, byte[] line, long lineHash);
    }
}
