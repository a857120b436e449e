package dev.herd.server.store;

import dev.herd.protocol.At;
import org.jspecify.annotations.Nullable;

/** Where an update kept here goes next: this server's peers. */
public interface Fanout {
    /** No peers: nothing goes anywhere (one server alone, benchmarks, tests). */
    Fanout NONE = (update, fromPeer, whenSent) -> false;

    /**
     * Forwards an update to every peer except {@code fromPeer}. Returns true if {@code whenSent} (if not
     * null) is to run: on some event loop, once every link that is up now and carries the update has
     * handed it to its socket (or kept it, when the link turned out unable to take it); possibly before
     * this returns. Returns false, and never runs {@code whenSent}, when flooding found no link up.
     *
     * @param fromPeer the peer it came from, or {@code null} when a client sent it here
     */
    boolean flood(At update, @Nullable String fromPeer, @Nullable Runnable whenSent);
}
