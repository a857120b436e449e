package dev.herd.server.places;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.protocol.Location;
import dev.herd.protocol.Radius;

import java.util.concurrent.CompletableFuture;

/** Where WHATSAT answers come from: a Nearby Search for a point and a radius. */
public interface Places extends AutoCloseable {
    /**
     * Finds places near {@code location}. The future always completes normally, with JSON in the legacy
     * Nearby Search shape: an answer, or an error object ({@code "results" : []}, a status and an
     * {@code error_message}) when the source failed. It never waits longer than the source's timeout.
     */
    CompletableFuture<JsonNode> nearby(Location location, Radius radius);

    /** What this source is, for the log: never a key. */
    String describe();

    @Override
    void close();
}
