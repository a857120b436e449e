package dev.herd.server.places;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.openlocationcode.OpenLocationCode;
import dev.herd.protocol.Location;
import dev.herd.protocol.Radius;
import dev.herd.server.internal.StartupWork;
import dev.herd.server.log.ServerLog;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The default Places source: GeoNames populated places shipped in the jar, answered in the legacy
 * Nearby Search shape with no key and no network. The data loads in the background at start (the
 * server listens meanwhile; WHATSATs that arrive first wait for it) and queries run on this source's
 * own thread, never on an event loop.
 */
public final class OfflinePlaces implements Places {
    static final String RESOURCE = "/places/geonames-cities500.tsv.gz";
    static final String ATTRIBUTION = "Place data from <a href=\"https://www.geonames.org/\">GeoNames</a>, CC BY 4.0";
    private static final ServerLog LOG = ServerLog.of(OfflinePlaces.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.withExactBigDecimals(true);
    private static final int PAGE_SIZE = 20;
    private static final double MAX_RADIUS_M = 50_000;
    private static final String ICON = "https://maps.gstatic.com/mapfiles/place_api/icons/v1/png_71/geocode-71.png";
    private static final String ICON_BACKGROUND = "#7B9EB0";
    private static final String ICON_MASK = "https://maps.gstatic.com/mapfiles/place_api/icons/v2/generic_pinlet";
    /** Kilometres per degree of latitude used for viewports. */
    private static final double KM_PER_DEGREE = 111.32;

    /**
     * The shipped data, loaded once per JVM: the servers of a herd in one JVM (the testkit's, the
     * simulator's hundred) share one read-only index instead of each loading about 200,000 places,
     * which at a hundred servers took every core for most of a minute. Cleared if the load fails.
     */
    private static final AtomicReference<CompletableFuture<GeoNamesIndex>> SHARED = new AtomicReference<>();

    private final CompletableFuture<GeoNamesIndex> index = new CompletableFuture<>();
    private final AtomicBoolean loading = new AtomicBoolean();
    private final ScheduledExecutorService queries;
    private final Map<String, String> countryNames = new ConcurrentHashMap<>();
    /**
     * Each place's result object, made on first use and shared by later answers (never changed after:
     * rendering only reads it). Two threads racing make equal objects, so no lock is needed.
     */
    private volatile AtomicReferenceArray<ObjectNode> placeNodes;

    /**
     * Loads the shipped data on a thread from {@code threads}: on the first query, or
     * {@link StartupWork#DEFERRED} after start, whichever comes first. The delay keeps the CPU free while
     * a freshly started herd (several JVMs on a small machine) binds its ports, links up and restarts.
     */
    public OfflinePlaces(ThreadFactory threads) {
        this.queries = Executors.newSingleThreadScheduledExecutor(threads);
        queries.schedule(this::startLoading, StartupWork.DEFERRED.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A source over an index already in memory (tests, benchmarks). */
    public OfflinePlaces(GeoNamesIndex loaded, ThreadFactory threads) {
        this.queries = Executors.newSingleThreadScheduledExecutor(threads);
        loading.set(true);
        index.complete(loaded);
    }

    private void startLoading() {
        if (loading.compareAndSet(false, true)) {
            CompletableFuture<GeoNamesIndex> mine = new CompletableFuture<>();
            CompletableFuture<GeoNamesIndex> shared = SHARED.compareAndExchange(null, mine);
            if (shared == null) {
                shared = mine;
                queries.execute(() -> {
                    try {
                        mine.complete(loadShippedData());
                    } catch (RuntimeException e) {
                        LOG.error("offline places: {}", e.getMessage());
                        SHARED.compareAndSet(mine, null);
                        mine.completeExceptionally(e);
                    }
                });
            }
            shared.whenComplete((loaded, failure) -> {
                if (failure != null) {
                    index.completeExceptionally(failure);
                } else {
                    index.complete(loaded);
                }
            });
        }
    }

    /** The index this source answers from, once loaded (tests). */
    CompletableFuture<GeoNamesIndex> index() {
        return index;
    }

    /** Loads the data shipped in the jar; what {@link #OfflinePlaces(ThreadFactory)} runs in the background. */
    public static GeoNamesIndex loadShippedData() {
        long start = System.nanoTime();
        try (InputStream in = OfflinePlaces.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("place data " + RESOURCE + " is missing from the jar");
            }
            GeoNamesIndex loaded = GeoNamesIndex.load(in);
            LOG.info("offline places: loaded {} GeoNames places in {} ms", loaded.size(), (System.nanoTime() - start) / 1_000_000);
            return loaded;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read place data " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<JsonNode> nearby(Location location, Radius radius) {
        startLoading();
        return index.thenApplyAsync(idx -> answer(idx, location.latitude(), location.longitude(),
                        Math.min(radius.metres(), MAX_RADIUS_M)), queries)
                .exceptionally(err -> {
                    LOG.error("offline places failed: {}", err.toString());
                    return PlacesJson.error("UNKNOWN_ERROR", "Places request failed: offline place data unavailable");
                });
    }

    /**
     * The legacy Nearby Search answer for a point and radius, at most one page of results, computed on
     * the calling thread (what {@link #nearby} runs on this source's own thread; benchmarks call it).
     */
    public JsonNode answer(GeoNamesIndex idx, double latitude, double longitude, double radiusMetres) {
        int[] found = idx.within(latitude, longitude, radiusMetres);
        ObjectNode root = JSON.objectNode();
        root.putArray("html_attributions").add(ATTRIBUTION);
        if (found.length > PAGE_SIZE) {
            String token = latitude + "," + longitude + "," + radiusMetres + "," + PAGE_SIZE;
            root.put("next_page_token", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        }
        ArrayNode results = root.putArray("results");
        AtomicReferenceArray<ObjectNode> nodes = placeNodes(idx);
        for (int k = 0; k < Math.min(PAGE_SIZE, found.length); k++) {
            int i = found[k];
            ObjectNode node = nodes.get(i);
            if (node == null) {
                node = place(idx, i);
                nodes.set(i, node);
            }
            results.add(node);
        }
        root.put("status", found.length == 0 ? "ZERO_RESULTS" : "OK");
        return root;
    }

    private AtomicReferenceArray<ObjectNode> placeNodes(GeoNamesIndex idx) {
        AtomicReferenceArray<ObjectNode> nodes = placeNodes;
        if (nodes == null || nodes.length() != idx.size()) {
            nodes = new AtomicReferenceArray<>(idx.size());
            placeNodes = nodes;
        }
        return nodes;
    }

    private ObjectNode place(GeoNamesIndex idx, int i) {
        double lat = idx.latitude(i);
        double lng = idx.longitude(i);
        ObjectNode place = JSON.objectNode();
        ObjectNode geometry = place.putObject("geometry");
        ObjectNode location = geometry.putObject("location");
        location.put("lat", BigDecimal.valueOf(lat));
        location.put("lng", BigDecimal.valueOf(lng));
        double halfKm = Math.max(0.75, Math.min(40, 0.55 * Math.sqrt(idx.population(i) / 1000.0)));
        double dLat = halfKm / KM_PER_DEGREE;
        double dLng = dLat / Math.cos(Math.toRadians(lat));
        ObjectNode viewport = geometry.putObject("viewport");
        corner(viewport.putObject("northeast"), lat + dLat, lng + dLng);
        corner(viewport.putObject("southwest"), lat - dLat, lng - dLng);
        place.put("icon", ICON);
        place.put("icon_background_color", ICON_BACKGROUND);
        place.put("icon_mask_base_uri", ICON_MASK);
        place.put("name", idx.name(i));
        String placeId = placeId(idx.geonameId(i));
        place.put("place_id", placeId);
        String globalCode = OpenLocationCode.encode(lat, lng);
        ObjectNode plusCode = place.putObject("plus_code");
        plusCode.put("compound_code", globalCode.substring(4) + " " + idx.vicinity(i) + region(idx, i));
        plusCode.put("global_code", globalCode);
        place.put("reference", placeId);
        place.put("scope", "GOOGLE");
        ArrayNode types = place.putArray("types");
        types.add(idx.isNeighbourhood(i) ? "neighborhood" : "locality").add("political");
        place.put("vicinity", idx.vicinity(i));
        return place;
    }

    private static void corner(ObjectNode node, double lat, double lng) {
        node.put("lat", BigDecimal.valueOf(lat).setScale(7, RoundingMode.HALF_EVEN).stripTrailingZeros());
        node.put("lng", BigDecimal.valueOf(lng).setScale(7, RoundingMode.HALF_EVEN).stripTrailingZeros());
    }

    /** {@code , CA, USA} in the United States, {@code , Germany} elsewhere, as Google's compound codes read. */
    private String region(GeoNamesIndex idx, int i) {
        String cc = idx.country(i);
        if ("US".equals(cc)) {
            return ", " + idx.admin1(i) + ", USA";
        }
        String country = countryNames.computeIfAbsent(cc, c -> new Locale("", c).getDisplayCountry(Locale.ENGLISH));
        return country.isEmpty() ? "" : ", " + country;
    }

    /**
     * A stable, opaque id shaped like Google's ({@code ChIJ} and 23 URL-safe characters), derived from
     * the GeoNames id. It is not a Google place id.
     */
    static String placeId(int geonameId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("geonames:" + geonameId).getBytes(StandardCharsets.UTF_8));
            // 17 bytes are 23 base64 characters.
            return "ChIJ" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 17));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String describe() {
        return "offline GeoNames cities500 (CC BY 4.0), shipped in the jar";
    }

    @Override
    public void close() {
        queries.shutdownNow();
    }
}
