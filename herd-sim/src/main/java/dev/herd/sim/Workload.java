package dev.herd.sim;

import dev.herd.testing.LineClient;
import dev.herd.testkit.Herd;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/** Sends the updates on schedule, one client connection per server, and makes the faults happen on time. */
final class Workload {
    private final Herd herd;
    private final Graph graph;
    private final UpdateTracker tracker;
    private final Faults faults;
    private final boolean[] running;
    private final Random random;
    private final double rate;
    /** Whether a killed server keeps its store (a journal) or starts again empty. */
    private final boolean journal;
    private final Map<Integer, LineClient> clients = new HashMap<>();
    /** Updates a server answered with something other than AT. */
    int refused;
    double seconds;

    Workload(Herd herd, Graph graph, UpdateTracker tracker, Faults faults, boolean[] running, Random random, SimOptions options) {
        this.herd = herd;
        this.graph = graph;
        this.tracker = tracker;
        this.faults = faults;
        this.running = running;
        this.random = random;
        this.rate = options.rate();
        this.journal = options.journal();
    }

    void send() {
        long start = System.nanoTime();
        boolean cut = false;
        boolean healed = false;
        boolean killed = false;
        boolean restarted = false;
        for (int u = 0; u < tracker.updates(); u++) {
            long due = start + (long) (u / rate * 1e9);
            long now;
            while ((now = System.nanoTime()) < due) {
                Simulation.sleepQuietly(Math.max(0, Math.min(5, (due - now) / 1_000_000)));
            }
            long at = now - start;
            if (!cut && !faults.cut().isEmpty() && at >= faults.cutAt().toNanos()) {
                faults.cut().forEach(l -> herd.cut(graph.name(l[0]), graph.name(l[1])));
                cut = true;
            }
            if (cut && !healed && at >= faults.healAt().toNanos()) {
                heal();
                healed = true;
            }
            if (!killed && !faults.killed().isEmpty() && at >= faults.killAt().toNanos()) {
                for (int s : faults.killed()) {
                    herd.kill(graph.name(s));
                    running[s] = false;
                    if (!journal) {
                        tracker.forget(s);
                    }
                    LineClient client = clients.remove(s);
                    if (client != null) {
                        client.close();
                    }
                }
                killed = true;
            }
            if (killed && !restarted && at >= faults.restartAt().toNanos()) {
                restart();
                restarted = true;
            }
            send(u, now);
        }
        // Faults due after the last update still happen, so the herd ends whole.
        if (cut && !healed) {
            heal();
        }
        if (killed && !restarted) {
            restart();
        }
        seconds = (System.nanoTime() - start) / 1e9;
    }

    private void heal() {
        faults.cut().forEach(l -> herd.heal(graph.name(l[0]), graph.name(l[1])));
    }

    private void restart() {
        for (int s : faults.killed()) {
            herd.restart(graph.name(s));
            running[s] = true;
        }
    }

    /** The wall clock as an IAMAT's time, to the nanosecond (sub-millisecond digits from {@code nowNanos}). */
    static String clientTime(long nowNanos) {
        long epochNanos = System.currentTimeMillis() * 1_000_000L + Math.floorMod(nowNanos, 1_000_000L);
        return epochNanos / 1_000_000_000L + "." + String.format("%09d", epochNanos % 1_000_000_000L);
    }

    private void send(int u, long nowNanos) {
        int s;
        do {
            s = random.nextInt(graph.size());
        } while (!running[s]);
        LineClient client = clients.computeIfAbsent(s, k -> herd.client(graph.name(k)));
        String reply = client.iamat(UpdateTracker.PREFIX + u, Simulation.LOCATION, clientTime(nowNanos));
        if (!reply.startsWith("AT ")) {
            refused++;
        }
    }
}
