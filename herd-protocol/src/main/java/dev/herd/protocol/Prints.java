package dev.herd.protocol;

import java.util.Arrays;

/**
 * {@code PRINTS base64}, and {@code PRINTS end} after the last: a server's answer to a peer's
 * {@link Sums}. For every bucket whose sum differs from its own, the server lists a 32-bit fingerprint
 * of each record it holds there (none when it holds none), so that the peer sends only the records whose
 * fingerprint is not listed. An entry is the bucket (2 bytes), the number of fingerprints (2 bytes) and
 * the fingerprints (4 bytes each), all big-endian; a bucket may span several entries and lines.
 *
 * @param entries the entries, decoded; empty in the {@code end} line
 * @param end     whether this is the {@code PRINTS end} line
 */
public record Prints(Bytes entries, boolean end) implements Message {
    @Override
    public Command command() {
        return Command.PRINTS;
    }

    /** The line that ends an answer. */
    public static final Prints END = new Prints(Bytes.EMPTY, true);
    /** The most fingerprints one entry carries (its count is 2 bytes). */
    public static final int MAX_PER_ENTRY = 0xffff;

    /** What an entry says: bucket {@code bucket} differs, and holds records with these fingerprints. */
    public interface Visitor {
        void bucket(int bucket);

        void print(int bucket, int fingerprint);
    }

    /** Visits the entries in order. */
    public void forEach(Visitor visitor) {
        byte[] b = entries.toByteArray();
        for (int at = 0; at < b.length; ) {
            int bucket = u16(b, at);
            int count = u16(b, at + 2);
            at += 4;
            visitor.bucket(bucket);
            for (int i = 0; i < count; i++, at += 4) {
                visitor.print(bucket, u16(b, at) << 16 | u16(b, at + 2));
            }
        }
    }

    /** Whether {@code b} is a whole number of well-formed entries. */
    static boolean wellFormed(byte[] b) {
        int at = 0;
        while (at + 4 <= b.length) {
            at += 4 + 4 * u16(b, at + 2);
        }
        return at == b.length;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
    }

    /** Builds the entries of one line. */
    public static final class Builder {
        private byte[] buf = new byte[256];
        private int size;
        /** Where the current entry's count is, or -1 before the first entry. */
        private int countAt = -1;
        private int count;

        /** Starts the entry of {@code bucket}. */
        public void bucket(int bucket) {
            u16(bucket);
            countAt = size;
            count = 0;
            u16(0);
        }

        /**
         * Adds a fingerprint to the current entry; returns false (adding nothing) when the entry is full
         * and a new one must be started for the same bucket.
         */
        public boolean print(int fingerprint) {
            if (count == MAX_PER_ENTRY) {
                return false;
            }
            u16(fingerprint >>> 16);
            u16(fingerprint);
            count++;
            buf[countAt] = (byte) (count >>> 8);
            buf[countAt + 1] = (byte) count;
            return true;
        }

        /** Bytes so far. */
        public int size() {
            return size;
        }

        public Prints build() {
            return new Prints(Bytes.copyOf(buf, 0, size), false);
        }

        private void u16(int v) {
            if (size + 2 > buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[size++] = (byte) (v >>> 8);
            buf[size++] = (byte) v;
        }
    }
}
