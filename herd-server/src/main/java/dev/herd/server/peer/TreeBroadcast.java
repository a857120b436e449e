package dev.herd.server.peer;

import dev.herd.protocol.At;
import dev.herd.protocol.Command;
import dev.herd.protocol.TreeLine;
import dev.herd.server.store.LocationStore;
import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The tree mode ({@code "dissemination": "tree"}): a new update goes out whole on this server's links
 * along the herd's {@link SpanningTree} (computed alike by every server from the topology) and as a
 * notice, its print in a batched IHAVE line, on its other links. A server that hears of an update
 * that does not follow over the tree within {@link #WANT_AFTER_MILLIS} (a tree link cut, a server
 * down, an update lost) asks the server that announced it (IWANT), and passes it on along its own tree
 * links when it comes, so a cut-off branch is served through the first of its servers to ask. Recent
 * updates are kept by print to answer; the store comparison stays the backstop for anything older.
 *
 * <p>Plumtree (Leitão, Pereira and Rodrigues, SRDS 2007) forms the tree from first deliveries and
 * prunes on duplicates instead; measured here it never settled on a herd of a hundred servers on two
 * cores (docs/SCALE.md), so the tree is fixed and only the lazy half is Plumtree's (IHAVE/IWANT, as
 * libp2p's gossipsub names them).
 *
 * <p>Thread model: all state is confined to the peer loop, where the links and the peer connections
 * live; {@link #broadcast} hops onto it from a client's loop.
 */
final class TreeBroadcast {
    /**
     * How long a notice waits for its update to arrive over the tree before it is asked for (plus up to
     * as much again at random, so the servers of a cut-off branch do not all ask at once): about the
     * tree's usual lag behind a link off it, a few hops of a few milliseconds, so that a slow hop is
     * overtaken too; short next to the probe (5 s) and comparison (10 s) that would otherwise repair a
     * cut. On a hundred servers on two cores (1,000 updates, one run each) waiting 12-24 ms gave p99
     * 158 ms, 30-60 ms gave 369 ms.
     */
    static final long WANT_AFTER_MILLIS = 15;
    /** How long an asked-for update is waited for before the next server that announced it is asked. */
    static final long NEXT_ANNOUNCER_MILLIS = 60;
    /** How often waiting notices are looked at while there are any. */
    private static final long SWEEP_MILLIS = 5;
    /** A notice still unanswered after this is left to the store comparison. */
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Updates remembered by print, to answer IWANTs and to know a notice's update has arrived. */
    static final int RECENT_MAX = 20_000;
    private static final long RECENT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final EventLoop loop;
    private final Supplier<PeerLink[]> links;
    private final Function<String, @Nullable PeerLink> linkTo;
    /** The peers linked to along the tree; replaced whole on a reload (volatile: the status page reads it). */
    private volatile Set<String> treePeers;
    /** By print: the update (null for one seen but not kept, so not passed on) and when it came. */
    private final LinkedHashMap<Long, Recent> recent = new LinkedHashMap<>();
    /** By print: updates announced to this server and not yet received, oldest first. */
    private final LinkedHashMap<Long, Missing> missing = new LinkedHashMap<>();
    private boolean sweepScheduled;
    private final Runnable sweep = this::sweep;

    private record Recent(@Nullable At update, long at) {
    }

    private static final class Missing {
        final long since;
        long due;
        final ArrayDeque<String> announcers = new ArrayDeque<>(4);

        Missing(long since, long due) {
            this.since = since;
            this.due = due;
        }
    }

    TreeBroadcast(EventLoop loop, Supplier<PeerLink[]> links, Function<String, @Nullable PeerLink> linkTo, Set<String> treePeers) {
        this.loop = loop;
        this.links = links;
        this.linkTo = linkTo;
        this.treePeers = Set.copyOf(treePeers);
    }

    /** The tree after a reload. Loop only. */
    void treePeers(Set<String> peers) {
        treePeers = Set.copyOf(peers);
    }

    /** The peers linked to along the tree now. Any thread. */
    Set<String> treePeers() {
        return treePeers;
    }

    /** The print naming {@code update} in notices and asks. */
    static long printOf(At update) {
        return TreeLine.printOf(LocationStore.lineHashOf(update));
    }

    /**
     * Passes a kept update on: whole on the tree links but {@code fromPeer}'s, as a notice on the others.
     * {@code whenSent} (if not null) runs once the update is in the socket of every tree link that is up,
     * or kept for one that is down; always, so this returns whether it was given. Any thread.
     */
    boolean broadcast(At update, @Nullable String fromPeer, @Nullable Runnable whenSent) {
        if (loop.inEventLoop()) {
            forward(update, fromPeer, whenSent);
        } else {
            loop.execute(() -> forward(update, fromPeer, whenSent));
        }
        return whenSent != null;
    }

    private void forward(At update, @Nullable String fromPeer, @Nullable Runnable whenSent) {
        long print = printOf(update);
        remember(print, update);
        missing.remove(print);
        PeerLink[] all = links.get();
        Set<String> tree = treePeers;
        int up = 0;
        for (PeerLink link : all) {
            if (whenSent != null && tree.contains(link.peer()) && !link.peer().equals(fromPeer) && link.isUp()) {
                up++;
            }
        }
        FloodAck ack = up == 0 ? null : new FloodAck(up, whenSent);
        for (PeerLink link : all) {
            if (link.peer().equals(fromPeer)) {
                continue;
            }
            if (tree.contains(link.peer())) {
                link.send(update, ack != null && link.isUp() ? ack : null);
            } else {
                link.announce(print);
            }
        }
        if (ack == null && whenSent != null) {
            whenSent.run();
        }
    }

    /** An update from a peer that the store did not keep: its notices are not to be waited on. Loop only. */
    void notKept(At update) {
        long print = printOf(update);
        missing.remove(print);
        if (!recent.containsKey(print)) {
            remember(print, null);
        }
    }

    /** A tree line from {@code fromPeer}. Loop only. */
    void onLine(TreeLine line, String fromPeer) {
        if (line.command() == Command.IHAVE) {
            announced(line, fromPeer);
            return;
        }
        PeerLink link = linkTo.apply(fromPeer);
        if (link == null) {
            return;
        }
        for (int i = 0; i < line.count(); i++) {
            Recent r = recent.get(line.print(i));
            if (r != null && r.update() != null) {
                link.send(r.update(), null);
            }
        }
    }

    private void announced(TreeLine line, String fromPeer) {
        long now = System.nanoTime();
        long wait = TimeUnit.MILLISECONDS.toNanos(WANT_AFTER_MILLIS);
        for (int i = 0; i < line.count(); i++) {
            long print = line.print(i);
            if (recent.containsKey(print)) {
                continue;
            }
            Missing m = missing.get(print);
            if (m == null) {
                m = new Missing(now, now + wait + ThreadLocalRandom.current().nextLong(wait));
                missing.put(print, m);
            }
            if (!m.announcers.contains(fromPeer)) {
                m.announcers.add(fromPeer);
            }
        }
        if (!missing.isEmpty() && !sweepScheduled) {
            sweepScheduled = true;
            loop.schedule(sweep, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Asks for the updates whose notices waited too long: each of the server that announced it first. */
    private void sweep() {
        sweepScheduled = false;
        long now = System.nanoTime();
        Map<String, long[]> asks = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (Iterator<Map.Entry<Long, Missing>> it = missing.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Missing> e = it.next();
            Missing m = e.getValue();
            if (now - m.since > GIVE_UP_NANOS) {
                it.remove();
                continue;
            }
            if (now - m.due < 0) {
                continue;
            }
            String announcer = m.announcers.poll();
            if (announcer == null) {
                it.remove();
                continue;
            }
            m.due = now + TimeUnit.MILLISECONDS.toNanos(NEXT_ANNOUNCER_MILLIS);
            int n = counts.merge(announcer, 1, Integer::sum);
            long[] prints = asks.computeIfAbsent(announcer, a -> new long[TreeLine.MAX_PRINTS]);
            prints[n - 1] = e.getKey();
            if (n == TreeLine.MAX_PRINTS) {
                want(announcer, prints, n);
                counts.put(announcer, 0);
            }
        }
        counts.forEach((announcer, n) -> {
            if (n > 0) {
                want(announcer, asks.get(announcer), n);
            }
        });
        if (!missing.isEmpty()) {
            sweepScheduled = true;
            loop.schedule(sweep, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void want(String peer, long[] prints, int count) {
        PeerLink link = linkTo.apply(peer);
        if (link != null) {
            link.send(TreeLine.of(Command.IWANT, prints, count));
        }
    }

    private void remember(long print, @Nullable At update) {
        long now = System.nanoTime();
        recent.put(print, new Recent(update, now));
        for (Iterator<Recent> it = recent.values().iterator(); it.hasNext(); ) {
            Recent eldest = it.next();
            if (recent.size() <= RECENT_MAX && now - eldest.at() < RECENT_NANOS) {
                break;
            }
            it.remove();
        }
    }
}
