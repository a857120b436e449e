package dev.herd.server.places;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.protocol.Location;
import dev.herd.protocol.Radius;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Google's legacy Nearby Search, and any endpoint that speaks it:
 * {@code GET URL?location=LAT,LNG&radius=METRES&key=KEY}, answered with JSON that carries a
 * {@code status}, errors included (usually with HTTP 200).
 */
final class LegacyNearbySearch implements NearbySearchApi {
    static final LegacyNearbySearch INSTANCE = new LegacyNearbySearch();
    private static final Set<Integer> PASSING_HTTP_FAULTS = Set.of(500, 502, 503, 504);

    private LegacyNearbySearch() {
    }

    @Override
    public FullHttpRequest request(URI endpoint, String key, Location location, Radius radius) {
        StringBuilder query = new StringBuilder("location=")
                .append(NearbySearchApi.unsigned(location.latitudeText())).append(',')
                .append(NearbySearchApi.unsigned(location.longitudeText()))
                .append("&radius=").append(radius.metresText());
        if (key != null) {
            query.append("&key=").append(URLEncoder.encode(key, StandardCharsets.UTF_8));
        }
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                NearbySearchApi.target(endpoint, query.toString()));
        request.headers()
                .set(HttpHeaderNames.HOST, NearbySearchApi.hostHeader(endpoint))
                .set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.GZIP)
                .set(HttpHeaderNames.USER_AGENT, "herd")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return request;
    }

    @Override
    public Outcome interpret(int httpStatus, String body) {
        JsonNode json = null;
        try {
            json = PlacesJson.parse(body);
        } catch (JsonProcessingException e) {
            // Not JSON: decided by the HTTP status below.
        }
        String status = PlacesJson.status(json);
        if (json != null && json.isObject() && status != null) {
            // The body is the answer, whatever the HTTP status said.
            Retry retry = switch (status) {
                case "UNKNOWN_ERROR" -> Retry.SOON;
                case "OVER_QUERY_LIMIT" -> Retry.SLOWLY;
                default -> Retry.NO;
            };
            return Outcome.of(json, retry);
        }
        String reason = json == null ? "HTTP " + httpStatus + " with a body that is not JSON"
                : "HTTP " + httpStatus + " without a Places status";
        return Outcome.of(PlacesJson.failure(reason), PASSING_HTTP_FAULTS.contains(httpStatus) ? Retry.SOON : Retry.NO);
    }
}
