package dev.herd.server.peer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the links an update went out on and runs an action once each of them has either handed
 * the update to its socket or kept it for later: a client's reply can then follow its flood, so
 * a client that asks a neighbour at once finds the update there already.
 */
final class FloodAck {
    private final AtomicInteger links;
    private final Runnable whenSent;

    FloodAck(int links, Runnable whenSent) {
        this.links = new AtomicInteger(links);
        this.whenSent = whenSent;
    }

    /** One link is done with the update. Any thread. */
    void done() {
        if (links.decrementAndGet() == 0) {
            whenSent.run();
        }
    }
}
