package dev.herd.server.store;

import dev.herd.protocol.At;
import dev.herd.protocol.TreeLine;
import dev.herd.server.log.ServerLog;
import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one place an update's consequences live: an update from a client or a peer is kept if it is
 * newer than the stored record (newest wins), then written to the journal (with a data dir), flooded
 * to every peer but its sender, and told to the listener. One instance per server; any thread.
 */
public final class Updates {
    private static final ServerLog LOG = ServerLog.of(Updates.class);
    /** A full store is logged on the first refusal and then once per this many, not per IAMAT. */
    private static final long FULL_LOG_EVERY = 1000;

    private final LocationStore store;
    private final @Nullable Journal journal;
    private final Fanout peers;
    private final UpdateListener listener;

    /** What a client waits for before its AT: the update on its way to the peers and (with a journal) on disk. */
    public interface Acknowledgement {
        /**
         * Called once, on any thread, possibly before {@link #accept} returns.
         *
         * @param failure why the record could not be made durable (the client must not get the AT), or null
         */
        void done(@Nullable String failure);
    }

    /**
     * @param journal where kept records are written, or null without a data dir; from now on it gets
     *                every record the store keeps
     */
    public Updates(LocationStore store, @Nullable Journal journal, Fanout peers, UpdateListener listener) {
        this.store = store;
        this.journal = journal;
        this.peers = peers;
        this.listener = listener;
        if (journal != null) {
            store.onKept(journal::append);
        }
    }

    public LocationStore store() {
        return store;
    }

    /**
     * Applies {@code record}: kept if newer than the stored one, then journaled, flooded on to every peer
     * but {@code fromPeer} and told to the listener.
     *
     * @param fromPeer the peer that sent it, or null for a client's IAMAT
     * @param ack      told when a kept record is on its way to every peer whose link is up and on disk;
     *                 null when nobody waits (an update from a peer)
     */
    public LocationStore.Outcome accept(At record, @Nullable String fromPeer, @Nullable Acknowledgement ack) {
        LocationStore.Outcome outcome = store.put(record);
        if (outcome == LocationStore.Outcome.FULL) {
            long refused = store.refusedFull();
            if (refused % FULL_LOG_EVERY == 1) {
                LOG.warn("store full ({} bytes of records, the limit; --max-store-bytes sets it): new client ids are"
                        + " refused ({} so far); known clients are still served", store.bytes(), refused);
            }
            return outcome;
        }
        boolean kept = outcome == LocationStore.Outcome.KEPT;
        listener.applied(record, fromPeer, kept);
        if (kept) {
            if (ack == null) {
                peers.flood(record, fromPeer, null);
            } else {
                waitForFloodAndJournal(record, fromPeer, ack);
            }
        }
        return outcome;
    }

    /** A tree-mode line came from {@code fromPeer}: told to the listener. */
    public void treeLineReceived(TreeLine line, String fromPeer) {
        listener.treeLineReceived(line, fromPeer);
    }

    private void waitForFloodAndJournal(At record, @Nullable String fromPeer, Acknowledgement ack) {
        if (journal == null) {
            // Only the flood to wait for: no counting needed (the common case, on the hot path).
            if (!peers.flood(record, fromPeer, () -> ack.done(null))) {
                ack.done(null);
            }
            return;
        }
        Waits waits = new Waits(ack);
        Journal durable = journal;
        if (durable != null) {
            waits.expect();
            durable.barrier().whenComplete((done, failed) -> {
                if (failed != null) {
                    waits.fail("journal cannot be written: " + failed.getMessage());
                }
                waits.run();
            });
        }
        waits.expect();
        if (!peers.flood(record, fromPeer, waits)) {
            waits.unexpect();
        }
        waits.run();
    }

    /** Why an update cannot be accepted now (the journal cannot write), or null when it can. */
    public @Nullable String refusal() {
        String failure = journalFailure();
        return failure == null ? null : "journal cannot be written: " + failure;
    }

    /** Why the journal cannot write now, or null when it can (or there is none). */
    public @Nullable String journalFailure() {
        return journal == null ? null : journal.failure();
    }

    /** Stops reading from {@code channel} while the journal is behind; see {@link Journal#pushBack}. */
    public void pushBack(Channel channel) {
        if (journal != null) {
            journal.pushBack(channel);
        }
    }

    /** Counts what an acknowledgement waits for; done when the count reaches zero. */
    private static final class Waits implements Runnable {
        /** One for each wait, and one until every wait is set up, so nothing completes before then. */
        private final AtomicInteger count = new AtomicInteger(1);
        private final Acknowledgement ack;
        private volatile @Nullable String failure;

        Waits(Acknowledgement ack) {
            this.ack = ack;
        }

        void expect() {
            count.incrementAndGet();
        }

        void unexpect() {
            count.decrementAndGet();
        }

        void fail(String why) {
            failure = why;
        }

        /** One wait is over. */
        @Override
        public void run() {
            if (count.decrementAndGet() == 0) {
                ack.done(failure);
            }
        }
    }
}
