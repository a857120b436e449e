package dev.herd.protocol;

/**
 * {@code SUMS salt bits first base64}: part of a server's bucket sums, sent to a peer whose store
 * differs from its own so that the peer can say which buckets differ (see {@link Prints}). The client
 * ids are split into {@code 2^bits} buckets by a hash every server computes alike; a bucket's sum is a
 * 32-bit window, chosen by {@code salt}, of the XOR of its records' line hashes. One line carries the
 * sums of buckets {@code first .. first + count() - 1}, each 4 bytes big-endian, base64-encoded.
 *
 * @param salt  chosen anew for every comparison, so that no collision repeats in the next one
 * @param bits  log2 of the number of buckets, 0 to {@value #MAX_BITS}
 * @param first the first bucket this line covers
 * @param sums  the sums, 4 bytes each, decoded
 */
public record Sums(int salt, int bits, int first, Bytes sums) implements Message {
    @Override
    public Command command() {
        return Command.SUMS;
    }

    /** The finest bucketing: 65,536 buckets. */
    public static final int MAX_BITS = 16;

    /** How many buckets this line covers. */
    public int count() {
        return sums.length() / 4;
    }

    /** The sum of bucket {@code first + i}. */
    public int sum(int i) {
        int at = 4 * i;
        return (sums.byteAt(at) & 0xff) << 24 | (sums.byteAt(at + 1) & 0xff) << 16
                | (sums.byteAt(at + 2) & 0xff) << 8 | sums.byteAt(at + 3) & 0xff;
    }

    /** Whether this line covers the last bucket. */
    public boolean last() {
        return first + count() == 1 << bits;
    }

    /** The sums of buckets {@code first ..} from {@code all[first, first + count)}. */
    public static Sums of(int salt, int bits, int first, int[] all, int count) {
        byte[] b = new byte[4 * count];
        for (int i = 0; i < count; i++) {
            int s = all[first + i];
            b[4 * i] = (byte) (s >>> 24);
            b[4 * i + 1] = (byte) (s >>> 16);
            b[4 * i + 2] = (byte) (s >>> 8);
            b[4 * i + 3] = (byte) s;
        }
        return new Sums(salt, bits, first, Bytes.copyOf(b));
    }
}
