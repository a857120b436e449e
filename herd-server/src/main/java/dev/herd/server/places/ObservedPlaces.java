package dev.herd.server.places;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.protocol.Location;
import dev.herd.protocol.Radius;

import java.util.concurrent.CompletableFuture;

/** Reports each answer of the source behind it (its status and how long it took) to an observer. */
public final class ObservedPlaces extends PlacesDecorator {
    private final PlacesObserver observer;

    public ObservedPlaces(Places upstream, PlacesObserver observer) {
        super(upstream);
        this.observer = observer;
    }

    @Override
    public CompletableFuture<JsonNode> nearby(Location location, Radius radius) {
        long start = System.nanoTime();
        CompletableFuture<JsonNode> answer = upstream.nearby(location, radius);
        answer.whenComplete((json, err) -> {
            JsonNode status = json == null ? null : json.get("status");
            observer.answered(status == null ? null : status.asText(), System.nanoTime() - start);
        });
        return answer;
    }
}
