package dev.herd.server.store;

import dev.herd.protocol.At;
import org.jspecify.annotations.Nullable;

/** Hears of every update {@link Updates} applies (metrics, the status page's recent updates). */
public interface UpdateListener {
    UpdateListener NONE = (record, fromPeer, kept) -> { };

    /**
     * {@code record} was offered, by a client ({@code fromPeer} null) or a peer; {@code kept} says
     * whether it superseded the stored record. Called on the thread that applied it; must not block.
     */
    void applied(At record, @Nullable String fromPeer, boolean kept);
}
