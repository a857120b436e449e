package dev.herd.server.config;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Where WHATSAT answers come from and how long they may take. Immutable; {@link #check()} says which
 * value is wrong.
 *
 * @param url            the endpoint to ask, over Google's; null: Google's when a key is set, else offline
 * @param key            the API key; never logged
 * @param api            which Google API a network source speaks (the offline source ignores it)
 * @param timeout        how long one attempt may take
 * @param connectTimeout how long connecting may take
 * @param deadline       how long a WHATSAT waits in all, retries included
 * @param cacheTtl       how long a network answer is reused; zero turns the cache off
 * @param ca             a PEM certificate to trust for an HTTPS endpoint beyond the JDK's own, or null
 * @param concurrency    queries in flight at once; more are answered with an error at once
 */
public record PlacesSettings(@Nullable URI url, @Nullable String key, PlacesApi api, Duration timeout,
                             Duration connectTimeout, Duration deadline, Duration cacheTtl, @Nullable Path ca,
                             int concurrency) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(60);
    public static final int DEFAULT_CONCURRENCY = 64;
    /** Answers the cache keeps. */
    public static final int CACHE_ENTRIES = 1024;
    /** How long the cache answers alone after the endpoint refused the key (quota, denied). */
    public static final Duration PAUSE_AFTER_REFUSAL = Duration.ofSeconds(30);

    /** The offline source, with the default limits. */
    public static final PlacesSettings OFFLINE = new PlacesSettings(null, null, PlacesApi.LEGACY, DEFAULT_TIMEOUT,
            DEFAULT_CONNECT_TIMEOUT, DEFAULT_DEADLINE, DEFAULT_CACHE_TTL, null, DEFAULT_CONCURRENCY);

    /** Where answers come from: the URL if given, else Google's endpoint for the API when a key is set, else nothing (offline). */
    public Optional<URI> endpoint() {
        if (url != null) {
            return Optional.of(url);
        }
        return key != null ? Optional.of(api.googleEndpoint()) : Optional.empty();
    }

    /** The label metrics give the source: offline, legacy_api or new_api. */
    public String sourceLabel() {
        return endpoint().isEmpty() ? "offline" : api.name().toLowerCase(Locale.ROOT) + "_api";
    }

    /** Refuses a value out of range, naming the option and what it expects. */
    public void check() throws ConfigException {
        if (url != null) {
            String scheme = url.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme) || url.getHost() == null) {
                throw new ConfigException("places-url: " + Redact.url(url) + " (expected: an http:// or https:// URL with a host)");
            }
        }
        if (api == PlacesApi.NEW && key == null) {
            throw new ConfigException("places-api new: needs a key in PLACES_API_KEY (Places API (New) takes no request without one)");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ConfigException("places-timeout: " + timeout.toMillis() + " ms (expected: more than 0)");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new ConfigException("places-connect-timeout: " + connectTimeout.toMillis() + " ms (expected: more than 0)");
        }
        if (deadline.compareTo(timeout) < 0) {
            throw new ConfigException("places-deadline: " + deadline.toMillis() + " ms (expected: at least the "
                    + timeout.toMillis() + " ms of places-timeout)");
        }
        if (cacheTtl.isNegative()) {
            throw new ConfigException("places-cache-ttl: " + cacheTtl.toMillis() + " ms (expected: 0 or more)");
        }
        if (ca != null && !Files.isReadable(ca)) {
            throw new ConfigException("places-ca: " + ca + " (expected: a readable PEM certificate file)");
        }
        if (concurrency < 1) {
            throw new ConfigException("places-concurrency: " + concurrency + " (expected: 1 or more)");
        }
    }

    /** The settings without the key: whether there is one, never what it is. */
    @Override
    public String toString() {
        return "placesUrl=" + (url == null ? "none" : Redact.url(url)) + ", placesKey=" + (key == null ? "none" : "set")
                + ", placesApi=" + api.name().toLowerCase(Locale.ROOT) + ", placesTimeout=" + timeout.toMillis()
                + "ms, placesDeadline=" + deadline.toMillis() + "ms, placesCacheTtl=" + cacheTtl.toMillis() + "ms";
    }
}
