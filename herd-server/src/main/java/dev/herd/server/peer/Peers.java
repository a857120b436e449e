package dev.herd.server.peer;

import dev.herd.protocol.At;

/** What the server's handler needs of its peers: who they are, and a way to flood an update to them. */
public interface Peers {
    /** Whether {@code name} is a configured peer of this server. */
    boolean isPeer(String name);

    /** Forwards an update to every peer except {@code fromPeer} ({@code null} when a client sent it here). */
    default void flood(At update, String fromPeer) {
        flood(update, fromPeer, null);
    }

    /**
     * Forwards an update to every peer except {@code fromPeer}. Returns true if it goes out on a link
     * that is up now: then {@code whenSent} (if not null) runs, on some event loop, once every such
     * link has handed it to its socket (or kept it, when the link turned out unable to take it). Returns
     * false, and never runs {@code whenSent}, when no link was up to send it on.
     */
    boolean flood(At update, String fromPeer, Runnable whenSent);
}
