package dev.herd.server.places;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.protocol.Location;
import dev.herd.protocol.Radius;
import dev.herd.server.log.ServerLog;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A cap on the Places queries in flight at once: past it, a query is answered at once with an
 * {@code OVER_QUERY_LIMIT} error object instead of queueing without bound behind a slow upstream.
 */
public final class BoundedPlaces extends PlacesDecorator {
    private static final ServerLog LOG = ServerLog.of(BoundedPlaces.class);
    private static final long LOG_EVERY = 1000;

    private final int limit;
    private final Semaphore permits;
    private final AtomicLong refused = new AtomicLong();

    public BoundedPlaces(Places upstream, int limit) {
        super(upstream);
        this.limit = limit;
        this.permits = new Semaphore(limit);
    }

    @Override
    public CompletableFuture<JsonNode> nearby(Location location, Radius radius) {
        if (!permits.tryAcquire()) {
            long n = refused.incrementAndGet();
            if (n % LOG_EVERY == 1) {
                LOG.warn("places: {} queries in flight, the limit; refusing more ({} refused so far)", limit, n);
            }
            return CompletableFuture.completedFuture(PlacesJson.error("OVER_QUERY_LIMIT",
                    "Too many Places queries in flight on this server; try again shortly."));
        }
        CompletableFuture<JsonNode> answer;
        try {
            answer = upstream.nearby(location, radius);
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
        answer.whenComplete((json, err) -> permits.release());
        return answer;
    }
}
