package dev.herd.sim;

import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The shapes a simulated herd can take, generated from a seed so that a run can be repeated:
 * {@code default} (the five-server herd), {@code ring}, {@code grid}, {@code tree},
 * {@code random-regular:K}, {@code small-world:K,P} (Watts-Strogatz) and {@code scale-free:M}
 * (Barabasi-Albert). Every generated graph is connected.
 */
final class Topologies {
    /** How the options name each shape, for --help and error messages. */
    static final String SHAPES = "default, ring, grid, tree, random-regular:K, small-world:K,P, scale-free:M";
    private static final int ATTEMPTS = 1000;

    private Topologies() {
    }

    /**
     * The graph {@code spec} names on {@code n} servers.
     *
     * @throws IllegalArgumentException with a message for the user when the spec or n does not fit
     */
    static Graph generate(String spec, int n, long seed) {
        String kind = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
        String args = spec.contains(":") ? spec.substring(spec.indexOf(':') + 1) : "";
        if (n < 2) {
            throw new IllegalArgumentException("servers: " + n + " (expected: at least 2)");
        }
        Random random = new Random(seed);
        return switch (kind) {
            case "default" -> defaultHerd(n);
            case "ring" -> ring(n);
            case "grid" -> grid(n);
            case "tree" -> tree(n);
            case "random-regular" -> randomRegular(n, intArg(spec, args, 2, n - 1), random);
            case "small-world" -> smallWorld(n, spec, args, random);
            case "scale-free" -> scaleFree(n, intArg(spec, args, 1, n - 1), random);
            default -> throw new IllegalArgumentException("topology: " + spec + " (expected one of: " + SHAPES + ")");
        };
    }

    private static Graph defaultHerd(int n) {
        Topology herd = Topology.defaultHerd();
        if (n != herd.names().size()) {
            throw new IllegalArgumentException("topology default has " + herd.names().size() + " servers, not " + n);
        }
        String[] names = herd.names().toArray(new String[0]);
        Graph.Builder g = new Graph.Builder(names);
        List<String> order = List.of(names);
        for (ServerSpec spec : herd.servers()) {
            for (String peer : spec.peers()) {
                g.link(order.indexOf(spec.name()), order.indexOf(peer));
            }
        }
        return g.build();
    }

    private static Graph ring(int n) {
        Graph.Builder g = new Graph.Builder(n);
        for (int i = 0; i < n; i++) {
            g.link(i, (i + 1) % n);
        }
        return g.build();
    }

    /** The most nearly square grid of n servers, row by row; a short last row links up to the row above. */
    private static Graph grid(int n) {
        int columns = (int) Math.ceil(Math.sqrt(n));
        Graph.Builder g = new Graph.Builder(n);
        for (int i = 0; i < n; i++) {
            if ((i + 1) % columns != 0 && i + 1 < n) {
                g.link(i, i + 1);
            }
            if (i + columns < n) {
                g.link(i, i + columns);
            }
        }
        return g.build();
    }

    /** A complete binary tree: server i's parent is (i - 1) / 2. */
    private static Graph tree(int n) {
        Graph.Builder g = new Graph.Builder(n);
        for (int i = 1; i < n; i++) {
            g.link(i, (i - 1) / 2);
        }
        return g.build();
    }

    /**
     * Every server with exactly k links, at random: stubs paired at random, a pair that would make a loop
     * or a second link between the same two servers drawn again (Steger and Wormald's way: the plain
     * pairing model almost never gives a simple graph for k = 6 and n = 100), restarted when no pair fits.
     */
    private static Graph randomRegular(int n, int k, Random random) {
        if ((long) n * k % 2 != 0) {
            throw new IllegalArgumentException("random-regular:" + k + " on " + n + " servers: n * K must be even");
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            List<Integer> stubs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k; j++) {
                    stubs.add(i);
                }
            }
            Graph.Builder g = new Graph.Builder(n);
            boolean stuck = false;
            while (!stuck && !stubs.isEmpty()) {
                stuck = true;
                for (int draw = 0; draw < 100 * n; draw++) {
                    int i = random.nextInt(stubs.size());
                    int j = random.nextInt(stubs.size());
                    if (i != j && g.link(stubs.get(i), stubs.get(j))) {
                        stubs.remove(Math.max(i, j));
                        stubs.remove(Math.min(i, j));
                        stuck = false;
                        break;
                    }
                }
            }
            Graph graph = g.build();
            if (!stuck && graph.connected()) {
                return graph;
            }
        }
        throw new IllegalArgumentException("random-regular:" + k + " on " + n + " servers: no simple connected graph found");
    }

    /** Watts-Strogatz: a ring where each server links to its k nearest, each link rewired with probability p. */
    private static Graph smallWorld(int n, String spec, String args, Random random) {
        String[] parts = args.split(",", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("topology: " + spec + " (expected small-world:K,P, e.g. small-world:4,0.1)");
        }
        int k = intArg(spec, parts[0], 2, n - 1);
        if (k % 2 != 0) {
            throw new IllegalArgumentException("topology: " + spec + " (K must be even: K/2 neighbours each side)");
        }
        double p;
        try {
            p = Double.parseDouble(parts[1]);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("topology: " + spec + " (P is a probability, 0 to 1)");
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Graph.Builder g = new Graph.Builder(n);
            for (int i = 0; i < n; i++) {
                for (int j = 1; j <= k / 2; j++) {
                    g.link(i, (i + j) % n);
                }
            }
            for (int j = 1; j <= k / 2; j++) {
                for (int i = 0; i < n; i++) {
                    int b = (i + j) % n;
                    if (random.nextDouble() < p && g.linked(i, b) && g.degree(i) < n - 1) {
                        int c;
                        do {
                            c = random.nextInt(n);
                        } while (c == i || g.linked(i, c));
                        g.unlink(i, b);
                        g.link(i, c);
                    }
                }
            }
            Graph graph = g.build();
            if (graph.connected()) {
                return graph;
            }
        }
        throw new IllegalArgumentException("topology: " + spec + " on " + n + " servers: no connected graph found");
    }

    /** Barabasi-Albert: m + 1 servers fully linked, then each new server links to m others, likelier to the well linked. */
    private static Graph scaleFree(int n, int m, Random random) {
        Graph.Builder g = new Graph.Builder(n);
        List<Integer> ends = new ArrayList<>(); // each server once per link it has: picking from it is by degree
        for (int a = 0; a <= m && a < n; a++) {
            for (int b = 0; b < a; b++) {
                g.link(a, b);
                ends.add(a);
                ends.add(b);
            }
        }
        for (int a = m + 1; a < n; a++) {
            int added = 0;
            List<Integer> mine = new ArrayList<>();
            while (added < m) {
                int b = ends.get(random.nextInt(ends.size()));
                if (g.link(a, b)) {
                    added++;
                    mine.add(b);
                }
            }
            for (int b : mine) {
                ends.add(a);
                ends.add(b);
            }
        }
        return g.build();
    }

    private static int intArg(String spec, String text, int min, int max) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // told below
        }
        throw new IllegalArgumentException("topology: " + spec + " (expected a whole number " + min + "-" + max + " after the colon)");
    }
}
