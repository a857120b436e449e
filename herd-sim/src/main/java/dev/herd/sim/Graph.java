package dev.herd.sim;

import dev.herd.server.config.ConfigException;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;

/**
 * An undirected simple graph on servers {@code 0..n-1}: the shape of a simulated herd. Immutable once
 * built by {@link Builder}.
 */
final class Graph {
    private final String[] names;
    private final int[][] neighbours;

    private Graph(String[] names, int[][] neighbours) {
        this.names = names;
        this.neighbours = neighbours;
    }

    int size() {
        return names.length;
    }

    String name(int server) {
        return names[server];
    }

    int degree(int server) {
        return neighbours[server].length;
    }

    /** Each link once, as {@code {a, b}} with {@code a < b}, in order. */
    List<int[]> links() {
        List<int[]> links = new ArrayList<>();
        for (int a = 0; a < size(); a++) {
            for (int b : neighbours[a]) {
                if (a < b) {
                    links.add(new int[] {a, b});
                }
            }
        }
        return links;
    }

    /** Whether every server reaches every other, skipping the links in {@code cut} (as {@code a * n + b}, a < b). */
    boolean connected(BitSet cut) {
        BitSet seen = new BitSet(size());
        Deque<Integer> todo = new ArrayDeque<>(List.of(0));
        seen.set(0);
        while (!todo.isEmpty()) {
            int a = todo.poll();
            for (int b : neighbours[a]) {
                if (!seen.get(b) && !cut.get(Math.min(a, b) * size() + Math.max(a, b))) {
                    seen.set(b);
                    todo.add(b);
                }
            }
        }
        return seen.cardinality() == size();
    }

    boolean connected() {
        return connected(new BitSet());
    }

    /** The herd's topology for these servers and links, on loopback with ports to be chosen. */
    Topology topology() {
        List<ServerSpec> specs = new ArrayList<>();
        for (int a = 0; a < size(); a++) {
            List<String> peers = new ArrayList<>();
            for (int b : neighbours[a]) {
                peers.add(names[b]);
            }
            specs.add(new ServerSpec(names[a], "127.0.0.1", 0, peers));
        }
        try {
            return Topology.of(specs);
        } catch (ConfigException e) {
            throw new IllegalStateException("a generated topology was refused: " + e.getMessage(), e);
        }
    }

    /** Builds a graph link by link; a link already there or to itself is not added. */
    static final class Builder {
        private final String[] names;
        private final List<BitSet> adjacency = new ArrayList<>();

        Builder(int n) {
            this(defaultNames(n));
        }

        Builder(String[] names) {
            this.names = names.clone();
            for (int i = 0; i < names.length; i++) {
                adjacency.add(new BitSet(names.length));
            }
        }

        /** Adds the link a-b; false if it is a loop or already there. */
        boolean link(int a, int b) {
            if (a == b || adjacency.get(a).get(b)) {
                return false;
            }
            adjacency.get(a).set(b);
            adjacency.get(b).set(a);
            return true;
        }

        void unlink(int a, int b) {
            adjacency.get(a).clear(b);
            adjacency.get(b).clear(a);
        }

        boolean linked(int a, int b) {
            return adjacency.get(a).get(b);
        }

        int degree(int a) {
            return adjacency.get(a).cardinality();
        }

        Graph build() {
            int[][] neighbours = new int[names.length][];
            for (int a = 0; a < names.length; a++) {
                neighbours[a] = adjacency.get(a).stream().toArray();
            }
            return new Graph(names.clone(), neighbours);
        }

        private static String[] defaultNames(int n) {
            String[] names = new String[n];
            int digits = Integer.toString(Math.max(n - 1, 0)).length();
            for (int i = 0; i < n; i++) {
                names[i] = "S" + String.format("%0" + digits + "d", i);
            }
            return names;
        }
    }

    @Override
    public String toString() {
        return Arrays.deepToString(neighbours);
    }
}
