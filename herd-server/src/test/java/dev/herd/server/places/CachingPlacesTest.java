package dev.herd.server.places;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.protocol.Location;
import dev.herd.protocol.Radius;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache in front of a network source, on a clock the test moves. */
class CachingPlacesTest {
    private static final Location UCLA = Location.parse("+34.068930-118.445127");
    private static final Location NYC = Location.parse("+40.7128-74.0060");
    private static final Radius TEN_KM = Radius.parse("10");

    /** An upstream whose answers the test gives, one pending future per request. */
    private static final class Upstream implements Places {
        final List<CompletableFuture<JsonNode>> requests = new ArrayList<>();

        @Override
        public CompletableFuture<JsonNode> nearby(Location location, Radius radius) {
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            requests.add(answer);
            return answer;
        }

        @Override
        public String describe() {
            return "upstream";
        }

        @Override
        public void close() {
        }
    }

    private final Upstream upstream = new Upstream();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final CachingPlaces cache = new CachingPlaces(upstream, Duration.ofSeconds(60), 2, Duration.ofSeconds(30), now::get);

    private static JsonNode answer(String status) {
        return PlacesJson.error(status, status.toLowerCase());
    }

    @Test
    void anAnswerIsReusedUntilItExpires() {
        CompletableFuture<JsonNode> first = cache.nearby(UCLA, TEN_KM);
        upstream.requests.get(0).complete(answer("OK"));
        assertThat(first.join().get("status").asText()).isEqualTo("OK");
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(cache.nearby(UCLA, TEN_KM)).isCompleted();
        assertThat(upstream.requests).as("within the ttl: no new request").hasSize(1);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(cache.nearby(UCLA, TEN_KM)).isNotDone();
        assertThat(upstream.requests).as("expired: asked again").hasSize(2);
    }

    @Test
    void identicalQueriesInFlightShareOneRequestAndDifferentOnesDoNot() {
        CompletableFuture<JsonNode> a = cache.nearby(UCLA, TEN_KM);
        CompletableFuture<JsonNode> b = cache.nearby(UCLA, TEN_KM);
        cache.nearby(NYC, TEN_KM);
        cache.nearby(UCLA, Radius.parse("5"));
        assertThat(upstream.requests).hasSize(3);
        upstream.requests.get(0).complete(answer("ZERO_RESULTS"));
        assertThat(a.join()).isSameAs(b.join());
        assertThat(cache.nearby(UCLA, TEN_KM)).as("zero results are kept too").isCompleted();
    }

    @Test
    void errorsAndFailuresAreNeverKept() {
        CompletableFuture<JsonNode> failed = cache.nearby(UCLA, TEN_KM);
        upstream.requests.get(0).completeExceptionally(new IllegalStateException("boom"));
        assertThat(failed.join().get("status").asText()).isEqualTo("UNKNOWN_ERROR");
        cache.nearby(UCLA, TEN_KM);
        assertThat(upstream.requests).hasSize(2);
        upstream.requests.get(1).complete(answer("INVALID_REQUEST"));
        cache.nearby(UCLA, TEN_KM);
        assertThat(upstream.requests).hasSize(3);
    }

    @Test
    void aRefusedKeyLeavesTheSourceAloneForThePauseWithTheSameAnswer() {
        CompletableFuture<JsonNode> denied = cache.nearby(UCLA, TEN_KM);
        upstream.requests.get(0).complete(answer("REQUEST_DENIED"));
        assertThat(denied.join().get("status").asText()).isEqualTo("REQUEST_DENIED");
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(cache.nearby(NYC, TEN_KM).join().get("status").asText()).isEqualTo("REQUEST_DENIED");
        assertThat(upstream.requests).as("paused: not asked").hasSize(1);
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        cache.nearby(NYC, TEN_KM);
        assertThat(upstream.requests).as("after the pause: asked again").hasSize(2);
    }

    @Test
    void theLeastRecentlyUsedAnswerGoesFirstPastTheLimit() {
        Location third = Location.parse("+51.5074-0.1278");
        for (Location l : List.of(UCLA, NYC)) {
            cache.nearby(l, TEN_KM);
            upstream.requests.get(upstream.requests.size() - 1).complete(answer("OK"));
        }
        cache.nearby(UCLA, TEN_KM); // UCLA used again: NYC is now the eldest
        cache.nearby(third, TEN_KM);
        upstream.requests.get(upstream.requests.size() - 1).complete(answer("OK"));
        int before = upstream.requests.size();
        assertThat(cache.nearby(UCLA, TEN_KM)).isCompleted();
        assertThat(cache.nearby(NYC, TEN_KM)).as("evicted").isNotDone();
        assertThat(upstream.requests).hasSize(before + 1);
    }
}
