package dev.herd.sim;

import dev.herd.server.log.ProtocolLog;
import dev.herd.testing.LineClient;
import dev.herd.testkit.Herd;
import dev.herd.testkit.HerdBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * One run: starts the herd the options describe, sends the workload on schedule while the faults
 * happen, waits for the herd to settle, and measures. Call {@link #run}; the herd is stopped before it
 * returns.
 */
final class Simulation {
    static final String LOCATION = "+34.068930-118.445127";
    private static final String UNASKED_PLACES = "http://127.0.0.1:9/maps/api/place/nearbysearch/json";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final SimOptions options;

    Simulation(SimOptions options) {
        this.options = options;
    }

    SimReport run() {
        Graph graph = Topologies.generate(options.topology(), options.servers(), options.seed());
        UpdateTracker tracker = new UpdateTracker(graph.size(), options.updates());
        Map<String, Integer> index = new HashMap<>();
        for (int s = 0; s < graph.size(); s++) {
            index.put(graph.name(s), s);
        }
        Random random = new Random(options.seed() ^ 0x5DEECE66DL);
        // The protocol log would write every link message to disk: not what is measured here. The
        // switch is a system property, read as each server starts; the caller's value is put back after.
        String lineLog = System.getProperty(ProtocolLog.SWITCH);
        System.setProperty(ProtocolLog.SWITCH, "off");
        try {
            return run(graph, tracker, index, random);
        } finally {
            if (lineLog == null) {
                System.clearProperty(ProtocolLog.SWITCH);
            } else {
                System.setProperty(ProtocolLog.SWITCH, lineLog);
            }
        }
    }

    private SimReport run(Graph graph, UpdateTracker tracker, Map<String, Integer> index, Random random) {
        Path logs = tempDir();
        long started = System.nanoTime();
        SimReport report;
        // The workload sends no WHATSAT: a Places endpoint that is never asked spares each server loading
        // the offline GeoNames index (about 200,000 places each, which starved a 100-server herd's links).
        HerdBuilder builder = Herd.builder().topology(graph.topology()).ioThreads(1).logDir(logs).placesUrl(UNASKED_PLACES)
                .observeUpdates(name -> tracker.listenerFor(index.get(name)));
        builder.config(c -> c.dissemination(options.dissemination()));
        if (options.journal()) {
            builder.config(c -> c.dataDir(logs.resolve("journals")));
        }
        try (Herd herd = builder.start()) {
            herd.awaitLinksUp(START_TIMEOUT);
            double startSeconds = (System.nanoTime() - started) / 1e9;
            for (int[] link : graph.links()) {
                if (!options.delay().isZero()) {
                    herd.delay(graph.name(link[0]), graph.name(link[1]), options.delay());
                }
                if (options.loss() > 0) {
                    herd.drop(graph.name(link[0]), graph.name(link[1]), options.loss());
                }
            }
            warmUp(herd, graph);
            tracker.startCounting();
            Faults faults = Faults.plan(graph, options, random);
            boolean[] running = new boolean[graph.size()];
            Arrays.fill(running, true);
            Workload workload = new Workload(herd, graph, tracker, faults, running, random, options);
            workload.send();
            long settleStart = System.nanoTime();
            boolean settled = settle(tracker, running);
            double settleSeconds = (System.nanoTime() - settleStart) / 1e9;
            quiesce(tracker, graph.size());
            report = SimReport.measure(options, graph, tracker, running, workload, startSeconds, settleSeconds, settled, logs);
        }
        if (report.allArrived() && !options.keepLogs()) {
            deleteQuietly(logs);
        }
        return report;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Only a temporary folder left behind; the report says where.
        }
    }

    /**
     * Sends the warm-up updates (client ids {@code warm-N}, not measured) at the workload's rate and waits
     * for the herd to be quiet: a fresh JVM runs its first thousands of updates in the interpreter.
     */
    private void warmUp(Herd herd, Graph graph) {
        Random random = new Random(options.seed());
        Map<String, LineClient> clients = new HashMap<>();
        long start = System.nanoTime();
        for (int w = 0; w < options.warmup(); w++) {
            long due = start + (long) (w / options.rate() * 1e9);
            while (System.nanoTime() < due) {
                sleepQuietly(1);
            }
            String server = graph.name(random.nextInt(graph.size()));
            clients.computeIfAbsent(server, herd::client).iamat("warm-" + w, LOCATION, Workload.clientTime(System.nanoTime()));
        }
        if (options.warmup() > 0) {
            herd.awaitConverged("warm-" + (options.warmup() - 1), options.settle());
            sleepQuietly(500);
        }
    }

    /**
     * Waits until every running server holds every update of the workload, or the settle time is up. An
     * update no server holds any more (only servers killed without a journal had it) is lost: nothing
     * can bring it back, so it is not waited for.
     */
    private boolean settle(UpdateTracker tracker, boolean[] running) {
        long deadline = System.nanoTime() + options.settle().toNanos();
        int servers = 0;
        for (boolean r : running) {
            servers += r ? 1 : 0;
        }
        int from = 0;
        while (true) {
            while (from < tracker.updates() && settledOrLost(tracker.holders(from, running), servers)) {
                from++;
            }
            if (from == tracker.updates()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleepQuietly(20);
        }
    }

    private static boolean settledOrLost(int holders, int servers) {
        return holders == servers || holders == 0;
    }

    /**
     * Waits (at most 5 s) until no update message has arrived anywhere for 300 ms: when every server
     * holds every update, duplicates can still be on their way, and they are part of the cost.
     */
    private static void quiesce(UpdateTracker tracker, int servers) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        long last = -1;
        while (System.nanoTime() < deadline) {
            long total = 0;
            for (int s = 0; s < servers; s++) {
                total += tracker.received(s);
            }
            if (total == last) {
                return;
            }
            last = total;
            sleepQuietly(300);
        }
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("herd-sim-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder for the servers' logs: " + e.getMessage(), e);
        }
    }
}
