package com.example.herd;

import dev.herd.testing.FakePlaces;
import dev.herd.testing.LineClient;
import dev.herd.testing.RecordedRequest;
import dev.herd.testkit.Herd;
import dev.herd.testkit.HerdTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;

import static dev.herd.testing.HerdAssertions.assertThat;

/** What a user of the herd checks in their own build, with nothing but the kit's public API. */
@HerdTest
@Timeout(60)
class HerdBehaviourTest {
    private static final Duration SOON = Duration.ofSeconds(5);

    @Test
    void aLocationReportedAtHillIsKnownAtCampbell(Herd herd) {
        String at = herd.client("Hill").iamat("kiwi.cs.ucla.edu", "+34.068930-118.445127", "1621464827.959498503");
        herd.awaitRecord("Campbell", "kiwi.cs.ucla.edu", at, SOON);

        String reply = herd.client("Campbell").whatsat("kiwi.cs.ucla.edu", 10, 5);
        assertThat(reply).isAt().fromServer("Hill").forClient("kiwi.cs.ucla.edu").withLocation("+34.068930-118.445127");
        assertThat(reply).hasPlaces().withStatus("OK").withResultCount(5).containsPlace("Santa Monica").endsWithBlankLine();
    }

    @Test
    void theHerdKeepsWorkingWhenAServerDies(Herd herd) {
        herd.kill("Smith");
        String at = herd.client("Hill").iamat("walker", "+40.7128-74.0060", "1700000000");
        herd.awaitRecord("Campbell", "walker", at, SOON);
        assertThat(herd.client("Campbell").whatsat("walker", 5, 3)).hasPlaces().containsPlace("New York City");
    }

    @Test
    void aCutLinkIsRoutedAround(Herd herd) {
        herd.cut("Hill", "Jaquez");
        herd.cut("Hill", "Smith");
        String at = herd.client("Jaquez").iamat("cyclist", "+51.5074-0.1278", "1700000001");
        herd.awaitRecord("Smith", "cyclist", at, SOON);
        org.assertj.core.api.Assertions.assertThat(herd.record("Hill", "cyclist")).isEmpty();

        LineClient smith = herd.client("Smith");
        smith.send("WHATSAT cyclist 51 5");
        assertThat(smith.readLine()).isInvalidEcho("WHATSAT cyclist 51 5");
    }

    @Test
    void whatsatAnswersWithWhatPlacesSays(Herd herd, FakePlaces places) {
        // Asking for a FakePlaces parameter points the herd at it; script what it answers.
        places.respondWith("{\"html_attributions\": [], \"status\": \"OK\", \"results\": [{\"name\": \"Kerckhoff Coffee\","
                + " \"geometry\": {\"location\": {\"lat\": 34.0705, \"lng\": -118.4433}}}]}");
        herd.client("Hill").iamat("owl", "+34.068930-118.445127", "1700000002");

        assertThat(herd.client("Hill").whatsat("owl", 1.5, 5)).hasPlaces().withStatus("OK").containsPlace("Kerckhoff Coffee");
        RecordedRequest asked = places.awaitRequests(1, SOON).get(0);
        assertThat(asked.param("location")).isEqualTo("34.068930,-118.445127");
        assertThat(asked.param("radius")).isEqualTo("1500"); // kilometres on the wire to clients, metres to Places
    }
}
