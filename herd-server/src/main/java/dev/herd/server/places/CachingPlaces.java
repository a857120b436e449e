package dev.herd.server.places;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.protocol.Location;
import dev.herd.protocol.Radius;
import dev.herd.server.log.ServerLog;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A short-lived memory in front of a network source. Answers ({@code OK}, {@code ZERO_RESULTS}) are
 * kept for a while, bounded in number, whole (each WHATSAT cuts its own bound); identical queries in
 * flight share one upstream request; errors are never kept. After {@code REQUEST_DENIED} or
 * {@code OVER_QUERY_LIMIT} the source is left alone for a pause, and every query meanwhile gets that
 * same answer: retrying a refused key or a spent quota only costs money. Nothing is written to disk.
 */
public final class CachingPlaces extends PlacesDecorator {
    private static final ServerLog LOG = ServerLog.of(CachingPlaces.class);

    private final long ttlNanos;
    private final long pauseNanos;
    private final LongSupplier clock;
    private final Map<String, Entry> answers;
    private final Map<String, CompletableFuture<JsonNode>> inFlight = new ConcurrentHashMap<>();
    private volatile Pause pause;

    private record Entry(JsonNode answer, long expires) {
    }

    private record Pause(JsonNode answer, long until) {
    }

    public CachingPlaces(Places upstream, Duration ttl, int maxEntries, Duration pauseAfterRefusal) {
        this(upstream, ttl, maxEntries, pauseAfterRefusal, System::nanoTime);
    }

    CachingPlaces(Places upstream, Duration ttl, int maxEntries, Duration pauseAfterRefusal, LongSupplier clock) {
        super(upstream);
        this.ttlNanos = ttl.toNanos();
        this.pauseNanos = pauseAfterRefusal.toNanos();
        this.clock = clock;
        this.answers = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public CompletableFuture<JsonNode> nearby(Location location, Radius radius) {
        long now = clock.getAsLong();
        Pause p = pause;
        if (p != null && now - p.until < 0) {
            return CompletableFuture.completedFuture(p.answer);
        }
        String key = location.text() + " " + radius.metresText();
        synchronized (answers) {
            Entry cached = answers.get(key);
            if (cached != null && now - cached.expires < 0) {
                return CompletableFuture.completedFuture(cached.answer);
            }
        }
        CompletableFuture<JsonNode> mine = new CompletableFuture<>();
        CompletableFuture<JsonNode> shared = inFlight.putIfAbsent(key, mine);
        if (shared != null) {
            return shared;
        }
        upstream.nearby(location, radius).whenComplete((answer, err) -> {
            remember(key, answer);
            inFlight.remove(key, mine);
            if (err != null) {
                mine.complete(PlacesJson.failure(err.getClass().getSimpleName()));
            } else {
                mine.complete(answer);
            }
        });
        return mine;
    }

    private void remember(String key, JsonNode answer) {
        String status = PlacesJson.status(answer);
        long now = clock.getAsLong();
        if ("OK".equals(status) || "ZERO_RESULTS".equals(status)) {
            if (ttlNanos > 0) {
                synchronized (answers) {
                    answers.put(key, new Entry(answer, now + ttlNanos));
                }
            }
        } else if ("REQUEST_DENIED".equals(status) || "OVER_QUERY_LIMIT".equals(status)) {
            pause = new Pause(answer, now + pauseNanos);
            LOG.warn("places {}: {}; not calling it again for {} s, answering the same meanwhile",
                    upstream.describe(), status, Duration.ofNanos(pauseNanos).toSeconds());
        }
    }
}
