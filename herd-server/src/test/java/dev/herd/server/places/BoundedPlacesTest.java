package dev.herd.server.places;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.protocol.Location;
import dev.herd.protocol.Radius;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedPlacesTest {
    private final List<CompletableFuture<JsonNode>> pending = new ArrayList<>();
    private final Places slow = new Places() {
        @Override
        public CompletableFuture<JsonNode> nearby(Location location, Radius radius) {
            CompletableFuture<JsonNode> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }

        @Override
        public String describe() {
            return "slow";
        }

        @Override
        public void close() {
        }
    };

    @Test
    void refusesAtOncePastTheLimitAndAcceptsAgainWhenOneEnds() {
        BoundedPlaces bounded = new BoundedPlaces(slow, 2);
        Location here = Location.parse("+1+1");
        Radius r = Radius.parse("1");
        CompletableFuture<JsonNode> first = bounded.nearby(here, r);
        bounded.nearby(here, r);
        CompletableFuture<JsonNode> third = bounded.nearby(here, r);
        assertThat(pending).hasSize(2);
        assertThat(third).isCompleted();
        assertThat(PlacesJson.status(third.join())).isEqualTo("OVER_QUERY_LIMIT");

        pending.get(0).complete(PlacesJson.error("ZERO_RESULTS", "none"));
        assertThat(first).isCompleted();
        bounded.nearby(here, r);
        assertThat(pending).hasSize(3);
    }
}
