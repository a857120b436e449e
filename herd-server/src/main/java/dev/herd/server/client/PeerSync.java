package dev.herd.server.client;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether a server that has just started has heard from its peers yet: done once every configured
 * peer has opened its link to this server and delivered what it kept for it, or after
 * {@link #LIMIT} (a peer that is down never will). Until then "unknown client" is not an answer this
 * server can give with confidence: a restarted server with an empty store would otherwise deny a
 * client the herd knows, in the moment between answering its first client and reading its peers.
 */
public final class PeerSync {
    /** The longest a WHATSAT for an unknown client waits, right after start, for the peers to speak. */
    static final Duration LIMIT = Duration.ofSeconds(1);

    /** Nothing to wait for: a server without peers, or a handler under test. */
    public static final PeerSync DONE = new PeerSync(Set.of(), null);

    private final Set<String> waitingFor;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /** Starts waiting for {@code peers}; gives up after {@link #LIMIT}, counted on {@code timer}. */
    public PeerSync(Set<String> peers, ScheduledExecutorService timer) {
        this.waitingFor = new HashSet<>(peers);
        if (waitingFor.isEmpty()) {
            done.complete(null);
        } else {
            timer.schedule(() -> done.complete(null), LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** {@code peer}'s link to this server is open and what came with its opening has been read. Any thread. */
    public void heardFrom(String peer) {
        boolean all;
        synchronized (waitingFor) {
            waitingFor.remove(peer);
            all = waitingFor.isEmpty();
        }
        if (all) {
            done.complete(null);
        }
    }

    boolean isDone() {
        return done.isDone();
    }

    /** Runs {@code then} once done (at once, on this thread, if already done). */
    void whenDone(Runnable then) {
        done.thenRun(then);
    }
}
