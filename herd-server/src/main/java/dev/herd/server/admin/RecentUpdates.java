package dev.herd.server.admin;

import dev.herd.protocol.At;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The newest records a server stored, for the status page: a fixed ring written without a lock, so
 * keeping it costs an update one atomic increment and one store.
 */
public final class RecentUpdates {
    static final int DEFAULT_SIZE = 20;

    /** One stored record: who sent it (a peer, or null for a client of this server) and when. */
    public record Update(At record, String from, long storedAtMillis) {
    }

    private final AtomicReferenceArray<Update> ring;
    private final AtomicLong next = new AtomicLong();

    RecentUpdates(int size) {
        ring = new AtomicReferenceArray<>(size);
    }

    void add(At record, String from) {
        long n = next.getAndIncrement();
        ring.set((int) (n % ring.length()), new Update(record, from, System.currentTimeMillis()));
    }

    /** The updates kept, newest first (by when they were stored). */
    public List<Update> newestFirst() {
        List<Update> updates = new ArrayList<>(ring.length());
        for (int i = 0; i < ring.length(); i++) {
            Update u = ring.get(i);
            if (u != null) {
                updates.add(u);
            }
        }
        updates.sort((a, b) -> Long.compare(b.storedAtMillis(), a.storedAtMillis()));
        return updates;
    }
}
