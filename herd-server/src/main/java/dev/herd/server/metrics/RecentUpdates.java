package dev.herd.server.metrics;

import dev.herd.protocol.At;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The newest records a server stored, for the status page. Each thread that stores records (an event
 * loop) writes a small ring of its own, so keeping them shares no memory between threads on the
 * IAMAT path (a shared index cost several percent of the throughput); a reader merges the rings.
 */
public final class RecentUpdates {
    static final int DEFAULT_SIZE = 20;

    /** One stored record: who sent it (a peer, or null for a client of this server) and when. */
    public record Update(At record, String from, long storedAtNanos) {
    }

    /** The wall clock at one instant of the nanosecond clock, to turn the latter into times of day. */
    private final long originMillis = System.currentTimeMillis();
    private final long originNanos = System.nanoTime();

    /** When {@code update} was stored, in milliseconds since the epoch. */
    public long storedAtMillis(Update update) {
        return originMillis + (update.storedAtNanos() - originNanos) / 1_000_000;
    }

    private final int size;
    private final List<Ring> rings = new CopyOnWriteArrayList<>();
    private final FastThreadLocal<Ring> local = new FastThreadLocal<>() {
        @Override
        protected Ring initialValue() {
            return newRing();
        }
    };

    RecentUpdates(int size) {
        this.size = size;
    }

    private Ring newRing() {
        Ring ring = new Ring(size);
        rings.add(ring);
        return ring;
    }

    void add(At record, String from) {
        local.get().add(new Update(record, from, System.nanoTime()));
    }

    /** The newest updates kept (at most the ring's size), newest first. */
    public List<Update> newestFirst() {
        List<Update> updates = new ArrayList<>();
        for (Ring ring : rings) {
            ring.copyTo(updates);
        }
        updates.sort(Comparator.comparingLong(Update::storedAtNanos).reversed());
        return updates.size() > size ? List.copyOf(updates.subList(0, size)) : updates;
    }

    /** One thread's ring: written by its owner only, read by anyone. */
    private static final class Ring {
        private final AtomicReferenceArray<Update> slots;
        private int next;

        Ring(int size) {
            slots = new AtomicReferenceArray<>(size);
        }

        void add(Update update) {
            slots.lazySet(next, update);
            next = next + 1 == slots.length() ? 0 : next + 1;
        }

        void copyTo(List<Update> out) {
            for (int i = 0; i < slots.length(); i++) {
                Update u = slots.get(i);
                if (u != null) {
                    out.add(u);
                }
            }
        }
    }
}
