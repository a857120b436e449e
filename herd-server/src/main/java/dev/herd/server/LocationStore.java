package dev.herd.server;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The newest record of every client this server has heard of, from its own clients or its peers.
 * The one structure shared by all event loops: a concurrent map whose per-key update is atomic, so
 * two loops offering records for one client cannot both win.
 */
public final class LocationStore {
    private final ConcurrentHashMap<Bytes, At> records = new ConcurrentHashMap<>();

    /**
     * Keeps {@code record} if it supersedes the stored one (see {@link At#supersedes}).
     *
     * @return whether it was kept, and so must be flooded on
     */
    public boolean offer(At record) {
        Offer offer = new Offer(record);
        records.compute(record.clientId(), offer);
        return offer.kept;
    }

    public At get(Bytes clientId) {
        return records.get(clientId);
    }

    public int size() {
        return records.size();
    }

    private static final class Offer implements java.util.function.BiFunction<Bytes, At, At> {
        private final At record;
        private boolean kept;

        Offer(At record) {
            this.record = record;
        }

        @Override
        public At apply(Bytes clientId, At current) {
            if (current == null || record.supersedes(current)) {
                kept = true;
                return record;
            }
            return current;
        }
    }
}
