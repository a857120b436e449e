package dev.herd.server.peer;

import dev.herd.protocol.At;
import dev.herd.protocol.TreeLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Peers for handler tests: records floods, tree lines and "this peer linked to us" instead of acting on them. */
public final class RecordingPeers implements Peers {
    /** One flood: the update and the peer it came from (null for a client). */
    public record Flood(At update, String from) {
    }

    private final Set<String> names;
    public final List<Flood> flooded = new ArrayList<>();
    public final List<String> reachedBy = new ArrayList<>();
    /** Updates from peers that the store did not keep, and tree lines, each with its peer: "peer line". */
    public final List<At> notKept = new ArrayList<>();
    public final List<String> treeLines = new ArrayList<>();
    /** Set to act as if links were up: floods then wait for {@link #sendAll()}, as a real flood waits for its sockets. */
    public boolean linksUp;
    private final List<Runnable> inFlight = new ArrayList<>();

    public RecordingPeers(Set<String> names) {
        this.names = names;
    }

    @Override
    public boolean isPeer(String name) {
        return names.contains(name);
    }

    @Override
    public boolean flood(At update, String fromPeer, Runnable whenSent) {
        flooded.add(new Flood(update, fromPeer));
        if (linksUp && whenSent != null) {
            inFlight.add(whenSent);
            return true;
        }
        return false;
    }

    @Override
    public void notKept(At update) {
        notKept.add(update);
    }

    @Override
    public void onTreeLine(TreeLine line, String fromPeer) {
        treeLines.add(fromPeer + " " + line.command() + " " + line.count());
    }

    /** Every flood so far has reached its links' sockets. */
    public void sendAll() {
        inFlight.forEach(Runnable::run);
        inFlight.clear();
    }

    /** What the peer port tells its server when a peer's link opens (see InboundPeerHandler.Server#linked). */
    public void reachedBy(String peer) {
        reachedBy.add(peer);
    }
}
