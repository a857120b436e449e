package dev.herd.server.store;

import java.util.Arrays;

/** One open-addressing table; every method runs under the stripe's lock. */
final class StoreStripe {
    byte[][] lines = new byte[16][];
    int[] hashes = new int[16];
    /**
     * Each record's client id's finest bucket: kept (2 bytes) so that a comparison's scan need not
     * hash every id; line hashes are not (8 bytes a record), but computed for the buckets scanned.
     */
    char[] buckets = new char[16];
    int count;
    /** XOR of the line hashes of this stripe's records. */
    long digest;

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
        int start = RecordLines.idStart(storedLine);
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
