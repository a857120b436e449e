package dev.herd.testkit;

import dev.herd.testing.FakePlaces;
import dev.herd.testing.FakeReply;
import dev.herd.testing.LineClient;
import dev.herd.testing.RecordedRequest;
import dev.herd.testing.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** WHATSAT against each network Places source and every upstream fault, through a real server. */
@Timeout(60)
class PlacesSourcesTest {
    private static final String SOLO = "{\"servers\": {\"Solo\": {\"port\": 1, \"peers\": []}}}";
    private static final String UCLA = "+34.068930-118.445127";
    private static final String KEY = "k3y/with+odd=chars&more";
    private static final String ONE_RESULT = "{\"html_attributions\":[],\"results\":[{\"name\":\"Royce Hall\",\"rating\":4.7}],\"status\":\"OK\"}";

    private FakePlaces places;
    private Herd herd;

    @AfterEach
    void stop() {
        if (herd != null) {
            herd.close();
        }
        if (places != null) {
            places.close();
        }
    }

    private HerdBuilder solo() {
        return Herd.builder().topologyJson(SOLO).placesKey(KEY);
    }

    private String whatsatAtUcla(String client, String radius, int bound) {
        String at = herd.client("Solo").iamat(client, UCLA, "1621464827.959498503");
        String reply = herd.client("Solo").whatsat(client, radius, bound);
        assertThat(reply).startsWith(at + "\n{\n").endsWith("\n}\n\n");
        return reply;
    }

    @Test
    void legacyNearbySearchOverHttpsGetsTheExactRequest() {
        places = FakePlaces.startHttps().respondWith(ONE_RESULT);
        herd = solo().placesUrl(places.url()).placesCa(places.certificateFile()).start();

        String reply = whatsatAtUcla("kiwi", "1.5", 5);
        assertThat(reply).contains("\"name\" : \"Royce Hall\"", "\"rating\" : 4.7", "\"status\" : \"OK\"");

        RecordedRequest r = places.awaitRequests(1, Duration.ofSeconds(5)).get(0);
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.path()).isEqualTo(FakePlaces.NEARBY_PATH);
        assertThat(r.query()).containsOnlyKeys("location", "radius", "key");
        assertThat(r.param("location")).isEqualTo("34.068930,-118.445127");
        assertThat(r.param("radius")).isEqualTo("1500");
        assertThat(r.param("key")).isEqualTo(KEY);
        assertThat(r.header("host")).isEqualTo("localhost:" + places.port());
        assertThat(r.header("accept-encoding")).contains("gzip");
    }

    @Test
    void placesApiNewOverHttpsIsAskedByPostAndAnsweredInTheLegacyShape() {
        places = FakePlaces.startHttps().respondWith("{\"places\":[{\"id\":\"ChIJabc\",\"displayName\":{\"text\":\"Cafe <Bruin>\","
                + "\"languageCode\":\"en\"},\"location\":{\"latitude\":34.0707,\"longitude\":-118.4440},\"types\":[\"cafe\",\"food\"],"
                + "\"rating\":4.5,\"userRatingCount\":12,\"shortFormattedAddress\":\"308 Westwood Plaza\",\"businessStatus\":\"OPERATIONAL\","
                + "\"priceLevel\":\"PRICE_LEVEL_INEXPENSIVE\",\"regularOpeningHours\":{\"openNow\":true}}]}");
        herd = solo().placesUrl(places.newApiUrl()).placesCa(places.certificateFile()).newPlacesApi().start();

        String reply = whatsatAtUcla("kiwi", "10", 5);
        assertThat(reply.substring(reply.indexOf('{'))).isEqualTo("""
                {
                   "html_attributions" : [],
                   "results" : [
                      {
                         "business_status" : "OPERATIONAL",
                         "geometry" : {
                            "location" : {
                               "lat" : 34.0707,
                               "lng" : -118.4440
                            }
                         },
                         "name" : "Cafe \\u003cBruin\\u003e",
                         "opening_hours" : {
                            "open_now" : true
                         },
                         "place_id" : "ChIJabc",
                         "price_level" : 1,
                         "rating" : 4.5,
                         "reference" : "ChIJabc",
                         "types" : [ "cafe", "food" ],
                         "user_ratings_total" : 12,
                         "vicinity" : "308 Westwood Plaza"
                      }
                   ],
                   "status" : "OK"
                }

                """);

        RecordedRequest r = places.awaitRequests(1, Duration.ofSeconds(5)).get(0);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo(FakePlaces.NEW_API_PATH);
        assertThat(r.query()).isEmpty();
        assertThat(r.header("x-goog-api-key")).isEqualTo(KEY);
        assertThat(r.header("x-goog-fieldmask")).startsWith("places.id,places.displayName,places.location");
        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertThat(r.body().replace(" ", "")).isEqualTo("{\"maxResultCount\":20,\"locationRestriction\":{\"circle\":"
                + "{\"center\":{\"latitude\":34.068930,\"longitude\":-118.445127},\"radius\":10000}}}");
    }

    @Test
    void placesApiNewErrorsBecomeLegacyStatuses() {
        places = FakePlaces.start().respondWith(403, "{\"error\":{\"code\":403,\"message\":\"API key not valid.\",\"status\":\"PERMISSION_DENIED\"}}");
        herd = solo().placesUrl(places.newApiUrl()).newPlacesApi().start();
        String reply = whatsatAtUcla("kiwi", "10", 5);
        assertThat(reply).contains("\"error_message\" : \"API key not valid.\"", "\"status\" : \"REQUEST_DENIED\"");
        assertThat(places.requests()).hasSize(1);
    }

    @Test
    void gzippedAnswersAreDecoded() {
        places = FakePlaces.start().respondWith(FakeReply.json(ONE_RESULT).gzipped());
        herd = solo().placesUrl(places.url()).start();
        assertThat(whatsatAtUcla("kiwi", "10", 5)).contains("\"name\" : \"Royce Hall\"");
    }

    @Test
    void passingFaultsAreRetriedUntilAnAnswerComes() {
        places = FakePlaces.start().respondWith(ONE_RESULT)
                .script(FakeReply.status(503, "busy"), FakeReply.googleError("UNKNOWN_ERROR", "try again"));
        herd = solo().placesUrl(places.url()).start();
        assertThat(whatsatAtUcla("kiwi", "10", 5)).contains("\"name\" : \"Royce Hall\"");
        assertThat(places.requests()).hasSize(3);
    }

    @Test
    void overQueryLimitIsRetriedOnceSlowlyThenPausesCalls() {
        places = FakePlaces.start().respondWith(FakeReply.googleError("OVER_QUERY_LIMIT", "You have exceeded your daily request quota for this API."));
        herd = solo().placesUrl(places.url()).start();
        long start = System.nanoTime();
        String reply = whatsatAtUcla("kiwi", "10", 5);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(reply).contains("\"status\" : \"OVER_QUERY_LIMIT\"", "daily request quota");
        assertThat(places.requests()).hasSize(2);

        // Within the pause, another query gets the same answer without calling out.
        assertThat(herd.client("Solo").whatsat("kiwi", "20", 1)).contains("\"status\" : \"OVER_QUERY_LIMIT\"");
        assertThat(places.requests()).hasSize(2);
    }

    @Test
    void requestDeniedIsPassedThroughAndNeverRetried() {
        places = FakePlaces.start().respondWith(FakeReply.googleError("REQUEST_DENIED",
                "You're calling a legacy API, which is not enabled for your project."));
        herd = solo().placesUrl(places.url()).start();
        assertThat(whatsatAtUcla("kiwi", "10", 5)).contains("\"status\" : \"REQUEST_DENIED\"", "legacy API");
        assertThat(herd.client("Solo").whatsat("kiwi", "5", 5)).contains("\"status\" : \"REQUEST_DENIED\"");
        assertThat(places.requests()).hasSize(1);
    }

    @Test
    void malformedJsonIsAnUnknownError() {
        places = FakePlaces.start().respondWith("{\"results\": [ oops");
        herd = solo().placesUrl(places.url()).start();
        assertThat(whatsatAtUcla("kiwi", "10", 5))
                .contains("\"error_message\" : \"Places request failed: HTTP 200 with a body that is not JSON\"",
                        "\"status\" : \"UNKNOWN_ERROR\"");
        assertThat(places.requests()).hasSize(1);
    }

    @Test
    void aStalledUpstreamIsCutOffAtTheDeadlineWhileOtherClientsAreServed() {
        places = FakePlaces.start().respondWith(FakeReply.stall());
        herd = solo().placesUrl(places.url())
                .placesTimeout(Duration.ofMillis(800)).placesDeadline(Duration.ofMillis(2000)).start();
        herd.client("Solo").iamat("kiwi", UCLA, "1");
        LineClient waiting = herd.client("Solo");
        long start = System.nanoTime();
        waiting.send("WHATSAT kiwi 10 5");

        // Meanwhile, the same server answers another client at once.
        String other = herd.client("Solo").iamat("other", "+1+1", "2");
        assertThat(other).startsWith("AT Solo ");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(700));

        String reply = waiting.readWhatsAtReply();
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(reply).contains("\"status\" : \"UNKNOWN_ERROR\"", "no answer within");
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1500)).isLessThan(Duration.ofMillis(3500));
        assertThat(places.requests()).hasSizeBetween(2, 3);
    }

    @Test
    void aHundredIdenticalWhatsatsShareOneUpstreamRequest() {
        places = FakePlaces.start().respondWith(FakeReply.json(ONE_RESULT).after(Duration.ofMillis(500)));
        herd = solo().placesUrl(places.url()).start();
        herd.client("Solo").iamat("kiwi", UCLA, "1");
        List<LineClient> clients = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            LineClient c = herd.client("Solo");
            c.send("WHATSAT kiwi 10 " + (1 + i % 20));
            clients.add(c);
        }
        for (LineClient c : clients) {
            assertThat(c.readWhatsAtReply()).contains("\"name\" : \"Royce Hall\"");
        }
        assertThat(places.requests()).hasSize(1);

        // And within the cache's lifetime the next one is answered from memory too.
        assertThat(herd.client("Solo").whatsat("kiwi", "10", 1)).contains("Royce Hall");
        assertThat(places.requests()).hasSize(1);
    }

    @Test
    void theKeyAppearsInNoLogWhateverHappens() {
        places = FakePlaces.start().script(FakeReply.status(500, "boom"), FakeReply.stall())
                .respondWith(FakeReply.googleError("REQUEST_DENIED", "The provided API key is invalid."));
        herd = solo().placesUrl(places.url()).placesTimeout(Duration.ofMillis(500)).start();
        whatsatAtUcla("kiwi", "10", 5);
        Wait.until("the WHATSAT in Solo's protocol log", Duration.ofSeconds(5), () -> herd.linesLog("Solo").contains("Places JSON"));
        String log = herd.log("Solo") + herd.linesLog("Solo");
        assertThat(log).contains("REQUEST_DENIED").doesNotContain(KEY)
                .doesNotContain(URLEncoder.encode(KEY, StandardCharsets.UTF_8));
    }
}
