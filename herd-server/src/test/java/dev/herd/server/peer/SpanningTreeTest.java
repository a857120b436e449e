package dev.herd.server.peer;

import dev.herd.server.config.ConfigException;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The tree mode's spanning tree: every server computes the same one, and it spans the herd. */
class SpanningTreeTest {

    @Test
    void theDefaultHerdsTreeIsRootedAtItsCentre() {
        Topology herd = Topology.defaultHerd();
        // Every server reaches every other in two links; Smith and Singleton reach the rest in 5 in all,
        // the least, and Singleton comes first by name: the root.
        assertThat(SpanningTree.neighbours(herd, "Singleton")).containsExactly("Campbell", "Jaquez", "Smith");
        assertThat(SpanningTree.neighbours(herd, "Jaquez")).containsExactly("Hill", "Singleton");
        assertThat(SpanningTree.neighbours(herd, "Hill")).containsExactly("Jaquez");
        assertThat(SpanningTree.neighbours(herd, "Campbell")).containsExactly("Singleton");
        assertThat(SpanningTree.neighbours(herd, "Smith")).containsExactly("Singleton");
    }

    @Test
    void randomHerdsGetOneTreeOfTheirLinksThatEveryServerAgreesOn() throws ConfigException {
        Random random = new Random(7);
        for (int run = 0; run < 20; run++) {
            int n = 2 + random.nextInt(60);
            Topology topology = randomConnected(n, random);
            Map<String, Set<String>> tree = new HashMap<>();
            for (String name : topology.names()) {
                tree.put(name, SpanningTree.neighbours(topology, name));
            }
            int ends = 0;
            for (Map.Entry<String, Set<String>> e : tree.entrySet()) {
                for (String peer : e.getValue()) {
                    assertThat(tree.get(peer)).as("both ends agree on %s-%s", e.getKey(), peer).contains(e.getKey());
                    assertThat(topology.server(e.getKey()).orElseThrow().peers()).contains(peer);
                    ends++;
                }
            }
            assertThat(ends).as("N - 1 links, each counted at both ends").isEqualTo(2 * (n - 1));
            assertThat(reached(tree, topology.names().iterator().next())).isEqualTo(n);
        }
    }

    private static int reached(Map<String, Set<String>> tree, String from) {
        Set<String> seen = new HashSet<>(List.of(from));
        ArrayDeque<String> queue = new ArrayDeque<>(List.of(from));
        while (!queue.isEmpty()) {
            for (String next : tree.get(queue.poll())) {
                if (seen.add(next)) {
                    queue.add(next);
                }
            }
        }
        return seen.size();
    }

    /** A random connected herd: a random tree plus some random links more, each listed by both ends. */
    private static Topology randomConnected(int n, Random random) throws ConfigException {
        List<Set<String>> peers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            peers.add(new HashSet<>());
        }
        for (int i = 1; i < n; i++) {
            link(peers, i, random.nextInt(i));
        }
        for (int extra = random.nextInt(2 * n); extra > 0; extra--) {
            int a = random.nextInt(n);
            int b = random.nextInt(n);
            if (a != b) {
                link(peers, a, b);
            }
        }
        List<ServerSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            specs.add(new ServerSpec("S" + i, "127.0.0.1", 20000 + i, List.copyOf(peers.get(i))));
        }
        return Topology.of(specs);
    }

    private static void link(List<Set<String>> peers, int a, int b) {
        peers.get(a).add("S" + b);
        peers.get(b).add("S" + a);
    }
}
