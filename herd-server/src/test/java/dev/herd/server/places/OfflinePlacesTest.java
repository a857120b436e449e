package dev.herd.server.places;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.protocol.Location;
import dev.herd.protocol.Radius;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class OfflinePlacesTest {
    private static final Location UCLA = Location.parse("+34.068930-118.445127");
    private static OfflinePlaces places;

    @BeforeAll
    static void load() {
        places = new OfflinePlaces(OfflinePlaces.loadShippedData(), new DefaultThreadFactory("offline-test", true));
    }

    @AfterAll
    static void close() {
        places.close();
    }

    @Test
    void theServersOfOneJvmShareOneLoadOfTheShippedData() throws Exception {
        // A herd in one JVM (the testkit's, the simulator's) loads the 200,000 places once, not per server.
        OfflinePlaces a = new OfflinePlaces(new DefaultThreadFactory("offline-a", true));
        OfflinePlaces b = new OfflinePlaces(new DefaultThreadFactory("offline-b", true));
        try {
            JsonNode fromA = a.nearby(UCLA, Radius.parse("10")).get(60, TimeUnit.SECONDS);
            JsonNode fromB = b.nearby(UCLA, Radius.parse("10")).get(60, TimeUnit.SECONDS);
            assertThat(b.index().get(1, TimeUnit.SECONDS)).isSameAs(a.index().get(1, TimeUnit.SECONDS));
            assertThat(fromB).isEqualTo(fromA);
            assertThat(names(fromA)).contains("Westwood");
        } finally {
            a.close();
            b.close();
        }
    }

    private static JsonNode ask(Location where, String radiusKm) throws Exception {
        return places.nearby(where, Radius.parse(radiusKm)).get(10, TimeUnit.SECONDS);
    }

    private static List<String> names(JsonNode answer) {
        List<String> names = new ArrayList<>();
        answer.get("results").forEach(r -> names.add(r.get("name").asText()));
        return names;
    }

    @Test
    void tenKilometresFromUclaHoldsWestwoodAndSantaMonicaAndNothingFarther() throws Exception {
        JsonNode answer = ask(UCLA, "10");
        assertThat(answer.get("status").asText()).isEqualTo("OK");
        assertThat(names(answer)).contains("Westwood", "Santa Monica", "Beverly Hills", "Culver City")
                .doesNotContain("Los Angeles", "Inglewood");
        for (JsonNode r : answer.get("results")) {
            JsonNode loc = r.get("geometry").get("location");
            double d = Geo.distanceMetres(UCLA.latitude(), UCLA.longitude(), loc.get("lat").asDouble(), loc.get("lng").asDouble());
            assertThat(d).as(r.get("name").asText()).isLessThanOrEqualTo(10_000);
        }
        assertThat(names(answer).get(0)).isEqualTo("Santa Monica");
    }

    @Test
    void resultsHaveTheLegacyShapeWithExactPlusCodes() throws Exception {
        JsonNode santaMonica = ask(UCLA, "10").get("results").get(0);
        assertThat(PlacesJson.render(santaMonica, 20)).isEqualTo("""
                {
                   "geometry" : {
                      "location" : {
                         "lat" : 34.01949,
                         "lng" : -118.49138
                      },
                      "viewport" : {
                         "northeast" : {
                            "lat" : 34.0671928,
                            "lng" : -118.4338268
                         },
                         "southwest" : {
                            "lat" : 33.9717872,
                            "lng" : -118.5489332
                         }
                      }
                   },
                   "icon" : "https://maps.gstatic.com/mapfiles/place_api/icons/v1/png_71/geocode-71.png",
                   "icon_background_color" : "#7B9EB0",
                   "icon_mask_base_uri" : "https://maps.gstatic.com/mapfiles/place_api/icons/v2/generic_pinlet",
                   "name" : "Santa Monica",
                   "place_id" : "ChIJsDCudOLui9g2Ha48nGtFe4w",
                   "plus_code" : {
                      "compound_code" : "2G95+QC Santa Monica, CA, USA",
                      "global_code" : "85632G95+QC"
                   },
                   "reference" : "ChIJsDCudOLui9g2Ha48nGtFe4w",
                   "scope" : "GOOGLE",
                   "types" : [ "locality", "political" ],
                   "vicinity" : "Santa Monica"
                }""");
    }

    @Test
    void neighbourhoodsNameTheirCity() throws Exception {
        JsonNode results = ask(UCLA, "10").get("results");
        JsonNode westwood = null;
        for (JsonNode r : results) {
            if (r.get("name").asText().equals("Westwood")) {
                westwood = r;
            }
        }
        assertThat(westwood).isNotNull();
        assertThat(westwood.get("types").toString()).isEqualTo("[\"neighborhood\",\"political\"]");
        assertThat(westwood.get("vicinity").asText()).isEqualTo("Los Angeles");
        assertThat(westwood.get("plus_code").get("compound_code").asText()).endsWith(" Los Angeles, CA, USA");
    }

    @Test
    void theOpenOceanHasZeroResults() throws Exception {
        JsonNode answer = ask(Location.parse("+0.0-140.0"), "50");
        assertThat(PlacesJson.render(answer, 5)).isEqualTo("""
                {
                   "html_attributions" : [
                      "Place data from \\u003ca href=\\"https://www.geonames.org/\\"\\u003eGeoNames\\u003c/a\\u003e, CC BY 4.0"
                   ],
                   "results" : [],
                   "status" : "ZERO_RESULTS"
                }""");
    }

    @Test
    void fiftyKilometresGivesAFullPageAndATokenForMore() throws Exception {
        JsonNode answer = ask(UCLA, "50");
        assertThat(answer.get("results")).hasSize(20);
        assertThat(answer.has("next_page_token")).isTrue();
        assertThat(names(answer).get(0)).isEqualTo("Los Angeles");
        assertThat(PlacesJson.render(answer, 20)).doesNotContain("\n\n");
        assertThat(PlacesJson.render(answer, 3).split("\"place_id\"", -1)).hasSize(4);
    }

    @Test
    void ordersByPopulationThenDistance() throws Exception {
        JsonNode results = ask(Location.parse("+48.8566+2.3522"), "20").get("results");
        assertThat(results.get(0).get("name").asText()).isEqualTo("Paris");
        assertThat(results.get(0).get("plus_code").get("compound_code").asText()).endsWith("Paris, France");
    }
}
