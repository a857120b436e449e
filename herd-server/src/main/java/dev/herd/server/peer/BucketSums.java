package dev.herd.server.peer;

import dev.herd.protocol.Sums;

import java.util.ArrayList;
import java.util.List;

/**
 * The arithmetic both ends of a comparison share: how many buckets, a bucket's 32-bit sum, a record's
 * 32-bit fingerprint. Sums and fingerprints are 32 bits to keep what goes over the link small; the
 * salt, new for every comparison, picks which 32 bits, so a collision that hid a difference once does
 * not hide it again in the next comparison.
 */
final class BucketSums {
    /** Records per bucket the bucketing aims at: the cost of sums and of fingerprints balance near it. */
    static final int RECORDS_PER_BUCKET = 16;
    /** Buckets per {@code SUMS} line: 8 KiB of sums, 11 KiB of text. */
    static final int SUMS_PER_LINE = 2048;

    private BucketSums() {
    }

    /** The bucketing for stores of up to {@code records}: about {@value #RECORDS_PER_BUCKET} a bucket. */
    static int bitsFor(long records) {
        int bits = 0;
        while (bits < Sums.MAX_BITS && (1L << bits) * RECORDS_PER_BUCKET < records) {
            bits++;
        }
        return bits;
    }

    /** The 32-bit sums of the {@code 2^bits} buckets, from the finest sums. */
    static int[] fold(long[] finest, int bits, int salt) {
        int shift = Sums.MAX_BITS - bits;
        int window = salt & 31;
        int[] sums = new int[1 << bits];
        long current = 0;
        for (int bucket = 0, i = 0; bucket < sums.length; bucket++) {
            current = 0;
            for (int end = (bucket + 1) << shift; i < end; i++) {
                current ^= finest[i];
            }
            sums[bucket] = (int) (current >>> window);
        }
        return sums;
    }

    /** A record's fingerprint in the comparison salted with {@code salt}. */
    static int fingerprint(long lineHash, int salt) {
        // MurmurHash3's fmix64 of the line hash under the salt; the low 32 bits.
        long h = lineHash ^ (salt * 0x9e3779b97f4a7c15L);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }

    /** The {@code SUMS} lines of a comparison. */
    static List<Sums> lines(int[] sums, int bits, int salt) {
        List<Sums> lines = new ArrayList<>();
        for (int first = 0; first < sums.length; first += SUMS_PER_LINE) {
            lines.add(Sums.of(salt, bits, first, sums, Math.min(SUMS_PER_LINE, sums.length - first)));
        }
        return lines;
    }
}
