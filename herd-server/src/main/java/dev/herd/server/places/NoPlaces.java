package dev.herd.server.places;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.protocol.Location;
import dev.herd.protocol.Radius;

import java.util.concurrent.CompletableFuture;

/** The source of a server started without any: every query gets the same error answer. */
public final class NoPlaces implements Places {
    @Override
    public CompletableFuture<JsonNode> nearby(Location location, Radius radius) {
        return CompletableFuture.completedFuture(PlacesJson.error(
                "REQUEST_DENIED", "No Places source is configured on this server (start it with --places-url URL)."));
    }

    @Override
    public String describe() {
        return "none (WHATSAT answers REQUEST_DENIED)";
    }

    @Override
    public void close() {
    }
}
