package dev.herd.server.config;

import java.net.URI;
import java.util.Locale;

/** Which of Google's Nearby Search APIs a network source speaks. */
public enum PlacesApi {
    /** {@code GET .../nearbysearch/json?location=&radius=&key=}: the legacy API, and any compatible endpoint. */
    LEGACY(URI.create("https://maps.googleapis.com/maps/api/place/nearbysearch/json")),
    /** {@code POST .../v1/places:searchNearby} with {@code X-Goog-Api-Key}: Places API (New). */
    NEW(URI.create("https://places.googleapis.com/v1/places:searchNearby"));

    private final URI googleEndpoint;

    PlacesApi(URI googleEndpoint) {
        this.googleEndpoint = googleEndpoint;
    }

    /** Google's own endpoint for this API. */
    public URI googleEndpoint() {
        return googleEndpoint;
    }

    public static PlacesApi named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "legacy" -> LEGACY;
            case "new" -> NEW;
            default -> throw new IllegalArgumentException(name);
        };
    }
}
