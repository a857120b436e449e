package dev.herd.server.store;

import dev.herd.protocol.At;
import dev.herd.protocol.TreeLine;
import org.jspecify.annotations.Nullable;

/**
 * Hears of every update {@link Updates} applies (metrics, the status page's recent updates, the
 * simulator), and of the tree mode's lines about updates.
 */
public interface UpdateListener {
    UpdateListener NONE = (record, fromPeer, kept) -> { };

    /**
     * {@code record} was offered, by a client ({@code fromPeer} null) or a peer; {@code kept} says
     * whether it superseded the stored record. Called on the thread that applied it; must not block.
     */
    void applied(At record, @Nullable String fromPeer, boolean kept);

    /** A tree-mode line (IHAVE, IWANT) came from {@code fromPeer}. On the peer loop; must not block. */
    default void treeLineReceived(TreeLine line, String fromPeer) {
    }

    /** Both listeners, {@code first} first. */
    static UpdateListener both(UpdateListener first, UpdateListener second) {
        return new UpdateListener() {
            @Override
            public void applied(At record, @Nullable String fromPeer, boolean kept) {
                first.applied(record, fromPeer, kept);
                second.applied(record, fromPeer, kept);
            }

            @Override
            public void treeLineReceived(TreeLine line, String fromPeer) {
                first.treeLineReceived(line, fromPeer);
                second.treeLineReceived(line, fromPeer);
            }
        };
    }
}
