package dev.herd.server.places;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herd.protocol.Location;
import dev.herd.protocol.Radius;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Google's Places API (New): {@code POST places:searchNearby} with the key in {@code X-Goog-Api-Key}
 * and a field mask naming only what the legacy shape needs, its answer converted to the legacy shape
 * so that clients see one format whichever API answered.
 */
final class NewNearbySearch implements NearbySearchApi {
    static final NewNearbySearch INSTANCE = new NewNearbySearch();
    /** The fields converted below, and no more: the mask also decides what Google bills. */
    static final String FIELD_MASK = "places.id,places.displayName,places.location,places.viewport,places.types,"
            + "places.businessStatus,places.rating,places.userRatingCount,places.shortFormattedAddress,places.plusCode,"
            + "places.iconMaskBaseUri,places.iconBackgroundColor,places.regularOpeningHours.openNow,places.priceLevel,"
            + "places.photos";
    private static final int MAX_RESULTS = 20;
    private static final Map<String, Integer> PRICE_LEVELS = Map.of(
            "PRICE_LEVEL_FREE", 0, "PRICE_LEVEL_INEXPENSIVE", 1, "PRICE_LEVEL_MODERATE", 2,
            "PRICE_LEVEL_EXPENSIVE", 3, "PRICE_LEVEL_VERY_EXPENSIVE", 4);

    private NewNearbySearch() {
    }

    @Override
    public FullHttpRequest request(URI endpoint, String key, Location location, Radius radius) {
        String body = "{\"maxResultCount\": " + MAX_RESULTS + ", \"locationRestriction\": {\"circle\": {\"center\": "
                + "{\"latitude\": " + NearbySearchApi.unsigned(location.latitudeText())
                + ", \"longitude\": " + NearbySearchApi.unsigned(location.longitudeText())
                + "}, \"radius\": " + radius.metresText() + "}}}";
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                NearbySearchApi.target(endpoint, null), Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        request.headers()
                .set(HttpHeaderNames.HOST, NearbySearchApi.hostHeader(endpoint))
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes())
                .set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.GZIP)
                .set(HttpHeaderNames.USER_AGENT, "herd")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set("X-Goog-FieldMask", FIELD_MASK);
        if (key != null) {
            request.headers().set("X-Goog-Api-Key", key);
        }
        return request;
    }

    @Override
    public Outcome interpret(int httpStatus, String body) {
        JsonNode json;
        try {
            json = PlacesJson.parse(body);
        } catch (JsonProcessingException e) {
            json = null;
        }
        if (httpStatus == 200 && json != null && json.isObject()) {
            return Outcome.of(toLegacy(json), Retry.NO);
        }
        JsonNode error = json == null ? null : json.path("error");
        String message = error != null && error.path("message").isTextual() ? error.path("message").asText()
                : "Places API (New) answered HTTP " + httpStatus;
        if (httpStatus == 429) {
            return Outcome.of(PlacesJson.error("OVER_QUERY_LIMIT", message), Retry.SLOWLY);
        }
        if (httpStatus >= 500) {
            return Outcome.of(PlacesJson.error("UNKNOWN_ERROR", message), Retry.SOON);
        }
        if (httpStatus == 401 || httpStatus == 403) {
            return Outcome.of(PlacesJson.error("REQUEST_DENIED", message), Retry.NO);
        }
        if (httpStatus == 400) {
            return Outcome.of(PlacesJson.error("INVALID_REQUEST", message), Retry.NO);
        }
        return Outcome.of(PlacesJson.failure("HTTP " + httpStatus + " without a Places answer"), Retry.NO);
    }

    /** {@code {"places": [...]}} in the legacy shape; {@code {}} is ZERO_RESULTS. */
    static ObjectNode toLegacy(JsonNode answer) {
        ObjectNode legacy = PlacesJson.object();
        legacy.putArray("html_attributions");
        ArrayNode results = legacy.putArray("results");
        for (JsonNode place : answer.path("places")) {
            results.add(place(place));
        }
        legacy.put("status", results.isEmpty() ? "ZERO_RESULTS" : "OK");
        return legacy;
    }

    private static ObjectNode place(JsonNode p) {
        ObjectNode r = PlacesJson.object();
        if (p.has("businessStatus")) {
            r.set("business_status", p.get("businessStatus"));
        }
        ObjectNode geometry = r.putObject("geometry");
        if (p.has("location")) {
            latLng(geometry.putObject("location"), p.get("location"));
        }
        if (p.has("viewport")) {
            ObjectNode viewport = geometry.putObject("viewport");
            latLng(viewport.putObject("northeast"), p.path("viewport").path("high"));
            latLng(viewport.putObject("southwest"), p.path("viewport").path("low"));
        }
        copy(p, "iconBackgroundColor", r, "icon_background_color");
        copy(p, "iconMaskBaseUri", r, "icon_mask_base_uri");
        if (p.path("displayName").has("text")) {
            r.set("name", p.path("displayName").get("text"));
        }
        if (p.path("regularOpeningHours").has("openNow")) {
            r.putObject("opening_hours").set("open_now", p.path("regularOpeningHours").get("openNow"));
        }
        if (p.has("photos")) {
            ArrayNode photos = r.putArray("photos");
            for (JsonNode photo : p.get("photos")) {
                ObjectNode legacyPhoto = photos.addObject();
                copy(photo, "heightPx", legacyPhoto, "height");
                ArrayNode attributions = legacyPhoto.putArray("html_attributions");
                for (JsonNode author : photo.path("authorAttributions")) {
                    attributions.add("<a href=\"" + author.path("uri").asText() + "\">" + author.path("displayName").asText() + "</a>");
                }
                copy(photo, "name", legacyPhoto, "photo_reference");
                copy(photo, "widthPx", legacyPhoto, "width");
            }
        }
        copy(p, "id", r, "place_id");
        if (p.has("plusCode")) {
            ObjectNode plus = r.putObject("plus_code");
            copy(p.get("plusCode"), "compoundCode", plus, "compound_code");
            copy(p.get("plusCode"), "globalCode", plus, "global_code");
        }
        if (p.path("priceLevel").isTextual() && PRICE_LEVELS.containsKey(p.get("priceLevel").asText())) {
            r.put("price_level", PRICE_LEVELS.get(p.get("priceLevel").asText()));
        }
        copy(p, "rating", r, "rating");
        copy(p, "id", r, "reference");
        copy(p, "types", r, "types");
        copy(p, "userRatingCount", r, "user_ratings_total");
        copy(p, "shortFormattedAddress", r, "vicinity");
        return r;
    }

    private static void latLng(ObjectNode target, JsonNode source) {
        copy(source, "latitude", target, "lat");
        copy(source, "longitude", target, "lng");
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String as) {
        if (from.has(field)) {
            to.set(as, from.get(field));
        }
    }
}
