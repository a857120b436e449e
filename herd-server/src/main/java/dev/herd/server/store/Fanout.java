package dev.herd.server.store;

import dev.herd.protocol.At;
import org.jspecify.annotations.Nullable;

/** Where an update kept here goes next: this server's peers. */
public interface Fanout {
    /** No peers: nothing goes anywhere (one server alone, benchmarks, tests). */
    Fanout NONE = (update, fromPeer, whenSent) -> false;

    /**
     * Forwards an update to every peer except {@code fromPeer}. Returns true if it goes out on a link
     * that is up now: then {@code whenSent} (if not null) runs, on some event loop, once every such
     * link has handed it to its socket (or kept it, when the link turned out unable to take it). Returns
     * false, and never runs {@code whenSent}, when no link was up to send it on.
     *
     * @param fromPeer the peer it came from, or {@code null} when a client sent it here
     */
    boolean flood(At update, @Nullable String fromPeer, @Nullable Runnable whenSent);
}
