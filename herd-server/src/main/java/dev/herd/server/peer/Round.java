package dev.herd.server.peer;

import dev.herd.protocol.Prints;
import dev.herd.protocol.Sums;
import dev.herd.server.store.Replica;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The sending end of one comparison: the {@code SUMS} lines that open it, then the peer's fingerprints
 * in the buckets that differ, and from those the records to send: every record of this server in those
 * buckets whose fingerprint the peer did not list. Confined to the link's event loop.
 */
final class Round {
    private final int bits;
    private final int salt;
    private final BitSet differ;
    /** The peer's fingerprints, each as {@code bucket << 32 | fingerprint}; sorted when the answer is in. */
    private long[] prints = new long[1024];
    private int size;
    /** Why this comparison runs, for the log. */
    final String reason;

    Round(int bits, int salt, String reason) {
        this.bits = bits;
        this.salt = salt;
        this.reason = reason;
        this.differ = new BitSet(1 << bits);
    }

    /** The lines that open the comparison: this server's sums now. */
    List<Sums> open(Replica replica) {
        return BucketSums.lines(BucketSums.fold(replica.bucketSums(), bits, salt), bits, salt);
    }

    /** Takes one line of the peer's answer (not the end). */
    void take(Prints line) {
        line.forEach(new Prints.Visitor() {
            @Override
            public void bucket(int bucket) {
                differ.set(bucket);
            }

            @Override
            public void print(int bucket, int fingerprint) {
                if (size == prints.length) {
                    prints = Arrays.copyOf(prints, size * 2);
                }
                prints[size++] = key(bucket, fingerprint);
            }
        });
    }

    /** Buckets the peer found different. */
    int differing() {
        return differ.cardinality();
    }

    /** The answer is in: the lines of this server's records that the peer does not hold. */
    List<byte[]> missing(Replica replica) {
        long[] theirs = Arrays.copyOf(prints, size);
        Arrays.sort(theirs);
        List<byte[]> lines = new ArrayList<>();
        replica.forEachIn(bits, differ, (bucket, line, lineHash) -> {
            if (Arrays.binarySearch(theirs, key(bucket, BucketSums.fingerprint(lineHash, salt))) < 0) {
                lines.add(line);
            }
        });
        return lines;
    }

    private static long key(int bucket, int fingerprint) {
        return (long) bucket << 32 | (fingerprint & 0xffffffffL);
    }
}
