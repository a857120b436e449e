package dev.herd.server.peer;

import dev.herd.protocol.At;
import dev.herd.protocol.TreeLine;
import dev.herd.server.store.Fanout;

/** This server's peers: who they are (for the peer port's greeting), and the links updates are passed on over. */
public interface Peers extends Fanout {
    /** Whether {@code name} is a configured peer of this server. */
    boolean isPeer(String name);

    /** An update from a peer that the store did not keep: the tree mode stops waiting for it. Peer loop. */
    default void notKept(At update) {
    }

    /** A tree-mode line (IHAVE, IWANT) from {@code fromPeer}. Peer loop. */
    default void onTreeLine(TreeLine line, String fromPeer) {
    }
}
