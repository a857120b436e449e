package dev.herd.server.store;

import dev.herd.protocol.Sums;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** What the store reads of a stored AT line without parsing it: the client id's place, its hashes and bucket. */
final class RecordLines {
    private RecordLines() {
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

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The finest bucket of the client id {@code b[from, to)}. */
    static int bucketOf(byte[] b, int from, int to) {
        return (int) (lineHash(b, from, to) >>> (64 - Sums.MAX_BITS));
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
}
