package dev.herd.server.places;

import dev.herd.server.config.PlacesSettings;
import dev.herd.server.internal.Transport;

import java.util.concurrent.ThreadFactory;

/** Builds a server's Places source from its settings: the one place the decorators are put in order. */
public final class PlacesSources {
    private PlacesSources() {
    }

    /**
     * The network source at the settings' endpoint (cached, its queries in flight capped) or, without
     * one, the offline source (capped); either way observed by {@code observer}.
     *
     * @param threads names the threads the source runs on
     */
    public static Places of(PlacesSettings settings, Transport transport, ThreadFactory threads, PlacesObserver observer) {
        // The cap sits under the cache: coalesced and cached answers cost no upstream query.
        Places source = settings.endpoint()
                .<Places>map(url -> new CachingPlaces(
                        new BoundedPlaces(new HttpPlaces(url, settings, transport, threads), settings.concurrency()),
                        settings.cacheTtl(), PlacesSettings.CACHE_ENTRIES, PlacesSettings.PAUSE_AFTER_REFUSAL))
                .orElseGet(() -> new BoundedPlaces(new OfflinePlaces(threads), settings.concurrency()));
        return new ObservedPlaces(source, observer);
    }
}
