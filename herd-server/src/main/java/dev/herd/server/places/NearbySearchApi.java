package dev.herd.server.places;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.protocol.Location;
import dev.herd.protocol.Radius;
import io.netty.handler.codec.http.FullHttpRequest;

import java.net.URI;

/** How to ask one flavour of Nearby Search over HTTP, and how to read what it answers. */
interface NearbySearchApi {
    /** The request for a point and radius; {@code key} may be null (a self-hosted endpoint). */
    FullHttpRequest request(URI endpoint, String key, Location location, Radius radius);

    /** Reads one HTTP response: the answer in the legacy shape, and whether asking again may help. */
    Outcome interpret(int httpStatus, String body);

    /** What one attempt came to. */
    record Outcome(JsonNode answer, Retry retry) {
        static Outcome of(JsonNode answer, Retry retry) {
            return new Outcome(answer, retry);
        }

        String status() {
            return PlacesJson.status(answer);
        }
    }

    /** Whether an attempt's outcome is worth another attempt. */
    enum Retry {
        /** A real answer (including Google's refusals): never asked again. */
        NO,
        /** A passing fault (I/O, timeout, HTTP 5xx, UNKNOWN_ERROR): ask again after a short backoff. */
        SOON,
        /** Over a quota: at most one more attempt, after at least a second. */
        SLOWLY
    }

    /** The client's own digits, without the {@code +} that a URL would read as a space and JSON refuses. */
    static String unsigned(String coordinate) {
        return coordinate.startsWith("+") ? coordinate.substring(1) : coordinate;
    }

    /** The {@code Host} header value for {@code endpoint}. */
    static String hostHeader(URI endpoint) {
        return endpoint.getPort() == -1 ? endpoint.getHost() : endpoint.getHost() + ":" + endpoint.getPort();
    }

    /** The path and query to request, keeping a query the configured URL already has. */
    static String target(URI endpoint, String extraQuery) {
        String path = endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() ? "/" : endpoint.getRawPath();
        String query = endpoint.getRawQuery();
        if (extraQuery == null) {
            return query == null ? path : path + "?" + query;
        }
        return path + "?" + (query == null || query.isEmpty() ? "" : query + "&") + extraQuery;
    }
}
