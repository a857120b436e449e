package dev.herd.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.BitSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopologiesTest {
    @ParameterizedTest(name = "{0} on {1} servers: {2} links")
    @CsvSource(delimiter = '|', value = {
        "ring | 10 | 10",
        "grid | 10 | 13",         // 4 columns: rows of 4, 4, 2 -> 3+3+1 across, 4+2 down
        "grid | 100 | 180",
        "tree | 100 | 99",
        "random-regular:6 | 100 | 300",
        "random-regular:3 | 20 | 30",
        "small-world:4,0.1 | 50 | 100",
        "small-world:6,0 | 20 | 60",
        "scale-free:2 | 100 | 197", // a triangle, then two links for each of the 97 others
        "default | 5 | 6",
    })
    void everyShapeIsConnectedWithTheLinksItsDefinitionGives(String spec, int n, int links) {
        Graph graph = Topologies.generate(spec, n, 7);
        assertThat(graph.size()).isEqualTo(n);
        assertThat(graph.links()).hasSize(links);
        assertThat(graph.connected()).isTrue();
        assertThat(graph.topology().names()).hasSize(n);
    }

    @Test
    void aRandomRegularGraphGivesEveryServerExactlyKLinks() {
        Graph graph = Topologies.generate("random-regular:6", 100, 3);
        for (int s = 0; s < graph.size(); s++) {
            assertThat(graph.degree(s)).isEqualTo(6);
        }
    }

    @Test
    void theSameSeedGivesTheSameGraphAndAnotherSeedAnother() {
        for (String spec : new String[] {"random-regular:4", "small-world:4,0.3", "scale-free:2"}) {
            String once = Topologies.generate(spec, 40, 11).toString();
            assertThat(Topologies.generate(spec, 40, 11).toString()).as(spec).isEqualTo(once);
            assertThat(Topologies.generate(spec, 40, 12).toString()).as(spec).isNotEqualTo(once);
        }
    }

    @Test
    void aRingWithAFewLinksCutIsStillConnectedButNotWithTwo() {
        Graph ring = Topologies.generate("ring", 6, 1);
        BitSet cut = new BitSet();
        cut.set(0 * 6 + 1);
        assertThat(ring.connected(cut)).isTrue();
        cut.set(3 * 6 + 4);
        assertThat(ring.connected(cut)).isFalse();
        assertThat(Arrays.stream(new int[] {0, 1, 2, 3, 4, 5}).map(ring::degree)).containsOnly(2);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(delimiter = '|', value = {
        "blob | 10 | topology: blob (expected one of: default, ring, grid",
        "default | 6 | topology default has 5 servers, not 6",
        "random-regular:3 | 11 | n * K must be even",
        "random-regular:x | 10 | expected a whole number 2-9 after the colon",
        "small-world:3,0.1 | 10 | K must be even",
        "small-world:4 | 10 | expected small-world:K,P",
        "small-world:4,2 | 10 | P is a probability",
        "scale-free:0 | 10 | expected a whole number 1-9",
        "ring | 1 | servers: 1 (expected: at least 2)",
    })
    void aShapeThatDoesNotFitIsRefusedWithAMessageSayingWhy(String spec, int n, String message) {
        assertThatThrownBy(() -> Topologies.generate(spec, n, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
