package dev.herd.server.peer;

import dev.herd.protocol.At;

/** What the server's handler needs of its peers: who they are, and a way to flood an update to them. */
public interface Peers {
    /** Whether {@code name} is a configured peer of this server. */
    boolean isPeer(String name);

    /** Forwards an update to every peer except {@code fromPeer} ({@code null} when a client sent it here). */
    void flood(At update, String fromPeer);
}
