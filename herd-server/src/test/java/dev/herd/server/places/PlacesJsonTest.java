package dev.herd.server.places;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlacesJsonTest {

    @Test
    void printsInGooglesStyleWithNumbersExactlyAsSent() throws Exception {
        String body = "{\"html_attributions\":[],\"results\":[{\"geometry\":{\"location\":{\"lat\":-33.8587323,\"lng\":151.2100055}},"
                + "\"name\":\"<Cruise> Bar\",\"rating\":4,\"price\":1.50,\"types\":[\"bar\",\"food\"]}],\"status\":\"OK\"}";
        assertThat(PlacesJson.render(PlacesJson.parse(body), 20)).isEqualTo("""
                {
                   "html_attributions" : [],
                   "results" : [
                      {
                         "geometry" : {
                            "location" : {
                               "lat" : -33.8587323,
                               "lng" : 151.2100055
                            }
                         },
                         "name" : "\\u003cCruise\\u003e Bar",
                         "rating" : 4,
                         "price" : 1.50,
                         "types" : [ "bar", "food" ]
                      }
                   ],
                   "status" : "OK"
                }""");
    }

    @Test
    void cutsOnlyTheTopLevelResultsToTheBound() throws Exception {
        String body = "{\"results\":[{\"results\":[1,2,3]},{\"n\":2},{\"n\":3}],\"status\":\"OK\"}";
        String out = PlacesJson.render(PlacesJson.parse(body), 1);
        assertThat(out).contains("[ 1, 2, 3 ]").doesNotContain("\"n\"");
    }

    @Test
    void stringsWithNewlinesStayOnOneLine() throws Exception {
        String out = PlacesJson.render(PlacesJson.parse("{\"name\":\"a\\n\\nb\",\"emoji\":\"🥝\"}"), 5);
        assertThat(out).isEqualTo("{\n   \"name\" : \"a\\n\\nb\",\n   \"emoji\" : \"🥝\"\n}");
    }

    @Test
    void errorObjectsHaveTheLegacyShape() {
        assertThat(PlacesJson.render(PlacesJson.error("UNKNOWN_ERROR", "Places request failed: timed out"), 5)).isEqualTo("""
                {
                   "error_message" : "Places request failed: timed out",
                   "html_attributions" : [],
                   "results" : [],
                   "status" : "UNKNOWN_ERROR"
                }""");
    }
}
