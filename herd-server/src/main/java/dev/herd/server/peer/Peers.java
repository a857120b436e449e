package dev.herd.server.peer;

import dev.herd.server.store.Fanout;

/** This server's peers: who they are (for the peer port's greeting), and the links updates are flooded on. */
public interface Peers extends Fanout {
    /** Whether {@code name} is a configured peer of this server. */
    boolean isPeer(String name);
}
