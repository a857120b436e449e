package dev.herd.server.store;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * SipHash-2-4 (Aumasson and Bernstein) under a key drawn once per process, as Redis hashes its
 * dictionaries: ids chosen to collide under one process's hash tell an attacker nothing about
 * another's, so no set of client ids can turn the store's tables into lists. The JDK and Netty have
 * no keyed hash of byte ranges, so it is written out here, from the paper.
 */
final class SipHash {
    private static final long K0;
    private static final long K1;

    static {
        ByteBuffer key = randomKey();
        K0 = key.getLong();
        K1 = key.getLong();
    }

    private SipHash() {
    }

    /**
     * 128 bits from the kernel's random source, or from SecureRandom where there is no
     * {@code /dev/urandom}. Why not SecureRandom always: its first use sets up the JDK's security
     * providers, about 40 ms on a fresh JVM (against 0.3 ms to read the device), and the key is made on
     * the way to a server's first reply. SecureRandom reads the same device on Linux.
     */
    private static ByteBuffer randomKey() {
        try (InputStream in = new FileInputStream("/dev/urandom")) {
            byte[] bytes = in.readNBytes(16);
            if (bytes.length == 16) {
                return ByteBuffer.wrap(bytes);
            }
        } catch (IOException e) {
            // No such device here: SecureRandom knows this platform's source.
        }
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return ByteBuffer.wrap(bytes);
    }

    /** The keyed hash of {@code b[from, to)}. */
    static long hash(byte[] b, int from, int to) {
        return hash(K0, K1, b, from, to);
    }

    static long hash(long k0, long k1, byte[] b, int from, int to) {
        long[] v = {k0 ^ 0x736f6d6570736575L, k1 ^ 0x646f72616e646f6dL, k0 ^ 0x6c7967656e657261L, k1 ^ 0x7465646279746573L};
        int length = to - from;
        int end = from + (length & ~7);
        for (int i = from; i < end; i += 8) {
            compress(v, word(b, i, 8), 2);
        }
        compress(v, ((long) length << 56) | word(b, end, to - end), 2);
        v[2] ^= 0xff;
        rounds(v, 4);
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void compress(long[] v, long m, int rounds) {
        v[3] ^= m;
        rounds(v, rounds);
        v[0] ^= m;
    }

    private static void rounds(long[] v, int n) {
        long v0 = v[0], v1 = v[1], v2 = v[2], v3 = v[3];
        for (int r = 0; r < n; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        v[0] = v0; v[1] = v1; v[2] = v2; v[3] = v3;
    }

    /** {@code n} (0-8) bytes from {@code i}, little-endian. */
    private static long word(byte[] b, int i, int n) {
        long w = 0;
        for (int k = n - 1; k >= 0; k--) {
            w = (w << 8) | (b[i + k] & 0xffL);
        }
        return w;
    }
}
