package dev.herd.server.peer;

import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The tree mode's spanning tree of a herd's links: the same on every server that reads the same
 * topology, so no message is needed to agree on it. A breadth-first tree from the herd's centre (the
 * server whose farthest server is nearest; the first by name among equals), neighbours taken in name
 * order, so that no update crosses more than twice the centre's eccentricity in links (the centre: least
 * eccentricity, then least total distance to the others, then first by name). A topology is connected
 * ({@link Topology#of} checks it), so the tree spans the herd.
 */
public final class SpanningTree {
    private SpanningTree() {
    }

    /** The peers {@code self} is linked to along the tree of {@code topology}. */
    public static Set<String> neighbours(Topology topology, String self) {
        Map<String, Set<String>> graph = graph(topology);
        Set<String> mine = new TreeSet<>();
        for (Map.Entry<String, String> edge : bfs(graph, centre(graph)).entrySet()) {
            String parent = edge.getValue();
            if (edge.getKey().equals(self) && parent != null) {
                mine.add(parent);
            } else if (self.equals(parent)) {
                mine.add(edge.getKey());
            }
        }
        return mine;
    }

    /** Every server and the servers it links with either way, in name order. */
    private static Map<String, Set<String>> graph(Topology topology) {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (ServerSpec spec : topology.servers()) {
            graph.computeIfAbsent(spec.name(), n -> new TreeSet<>());
            for (String peer : spec.peers()) {
                if (topology.server(peer).isPresent()) {
                    graph.get(spec.name()).add(peer);
                    graph.computeIfAbsent(peer, n -> new TreeSet<>()).add(spec.name());
                }
            }
        }
        return graph;
    }

    /** The server of least eccentricity, then least total distance, then first by name. */
    private static String centre(Map<String, Set<String>> graph) {
        String best = null;
        long bestSpread = Long.MAX_VALUE;
        for (String s : graph.keySet()) {
            long spread = spread(graph, s);
            if (spread < bestSpread) {
                best = s;
                bestSpread = spread;
            }
        }
        return best;
    }

    /** How far the others are from {@code root}: its eccentricity in the high bits, the total distance in the low. */
    private static long spread(Map<String, Set<String>> graph, String root) {
        Map<String, Integer> dist = new HashMap<>();
        dist.put(root, 0);
        ArrayDeque<String> queue = new ArrayDeque<>(List.of(root));
        long max = 0;
        long total = 0;
        while (!queue.isEmpty()) {
            String s = queue.poll();
            for (String n : graph.get(s)) {
                if (!dist.containsKey(n)) {
                    int d = dist.get(s) + 1;
                    dist.put(n, d);
                    max = Math.max(max, d);
                    total += d;
                    queue.add(n);
                }
            }
        }
        return max << 40 | total;
    }

    /** Each server reached from {@code root}, breadth first, and its parent (null for the root). */
    private static Map<String, String> bfs(Map<String, Set<String>> graph, String root) {
        Map<String, String> parent = new LinkedHashMap<>();
        parent.put(root, null);
        ArrayDeque<String> queue = new ArrayDeque<>(List.of(root));
        while (!queue.isEmpty()) {
            String s = queue.poll();
            for (String n : graph.get(s)) {
                if (!parent.containsKey(n)) {
                    parent.put(n, s);
                    queue.add(n);
                }
            }
        }
        return parent;
    }
}
