package dev.herd.testkit;

import dev.herd.testing.FakePlaces;
import dev.herd.testing.FakeReply;
import dev.herd.testing.LineClient;
import dev.herd.testing.RecordedRequest;
import dev.herd.testing.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The default five-server herd over loopback, with a fake Places. */
@Timeout(30)
class HerdIntegrationTest {
    private static final Duration CONVERGE = Duration.ofSeconds(5);
    private static final String UCLA = "+34.068930-118.445127";
    private static final String KEY = "test-key-not-secret";

    @RegisterExtension
    static final HerdExtension HERD = HerdExtension.configure(b -> b.placesKey(KEY)
            .placesTimeout(Duration.ofSeconds(3)).placesDeadline(Duration.ofSeconds(3)));

    @Test
    void iamatAtHillIsSeenAtOnceByWhatsatAtCampbellTwoHopsAway(Herd herd, FakePlaces places) {
        String at = herd.client("Hill").iamat("kiwi.cs.ucla.edu", UCLA, "1621464827.959498503");
        assertThat(at).matches("AT Hill [+-]\\d+\\.\\d{9} kiwi\\.cs\\.ucla\\.edu \\+34\\.068930-118\\.445127 1621464827\\.959498503");

        LineClient campbell = herd.client("Campbell");
        String reply = campbell.whatsat("kiwi.cs.ucla.edu", "10", 5);
        // Flooding races the client's next connection; allow it a bounded moment, never more.
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while (reply.startsWith("? ") && System.nanoTime() < deadline) {
            reply = campbell.whatsat("kiwi.cs.ucla.edu", "10", 5);
        }
        assertThat(reply).startsWith(at + "\n{").endsWith("}\n\n");
    }

    @Test
    void staleIamatChangesNothingAnywhere(Herd herd, FakePlaces places) {
        String newest = herd.client("Hill").iamat("kiwi", "+1+1", "200");
        herd.awaitConverged("kiwi", CONVERGE);

        String staleReply = herd.client("Campbell").iamat("kiwi", "+2+2", "100");
        assertThat(staleReply).startsWith("AT Campbell ").endsWith(" kiwi +2+2 100");
        // Links are FIFO: once a later update from Campbell has reached everyone, any flood of the
        // stale one would have arrived before it.
        herd.client("Campbell").iamat("marker", "+0+0", "1");
        herd.awaitConverged("marker", CONVERGE);

        for (String server : herd.names()) {
            assertThat(herd.record(server, "kiwi")).as(server).contains(newest);
        }
    }

    @Test
    void updatesRouteAroundAKilledServerAndReachItAfterRestart(Herd herd, FakePlaces places) {
        herd.kill("Smith");
        String at = herd.client("Hill").iamat("moving", "+10+10", "1000");
        herd.awaitRecord("Campbell", "moving", at, CONVERGE);
        assertThat(herd.client("Campbell").whatsat("moving", "1", 1)).startsWith(at + "\n");

        herd.restart("Smith");
        herd.awaitLinksUp(Duration.ofSeconds(10));
        String later = herd.client("Hill").iamat("moving", "+11+11", "1001");
        herd.awaitRecord("Smith", "moving", later, CONVERGE);
        assertThat(herd.client("Smith").whatsat("moving", "1", 1)).startsWith(later + "\n");
    }

    @Test
    void halfClosedClientStillGetsASlowWhatsatReplyInFull(Herd herd, FakePlaces places) {
        places.respondWith(FakeReply.json(
                "{\"html_attributions\":[],\"results\":[{\"name\":\"slow\"}],\"status\":\"OK\"}").after(Duration.ofMillis(700)));
        LineClient client = herd.client("Jaquez");
        client.send("IAMAT slowpoke " + UCLA + " 1621464827.5");
        client.send("WHATSAT slowpoke 2 3");
        client.sendRaw("IAMAT slowpoke +1+1 1".getBytes(StandardCharsets.UTF_8));
        client.halfClose();

        String all = client.readToEnd();
        String[] parts = all.split("\n", 2);
        assertThat(parts[0]).startsWith("AT Jaquez ").endsWith(" slowpoke " + UCLA + " 1621464827.5");
        assertThat(parts[1]).isEqualTo(parts[0] + "\n{\n   \"html_attributions\" : [],\n   \"results\" : [\n      {\n"
                + "         \"name\" : \"slow\"\n      }\n   ],\n   \"status\" : \"OK\"\n}\n\n"
                + parts[1].substring(parts[1].lastIndexOf("AT Jaquez")));
        assertThat(all).endsWith(" slowpoke +1+1 1\n");
    }

    @Test
    void whatsatCutsResultsToTheBoundSqueezesNewlinesAndAsksWithTheRightQuery(Herd herd, FakePlaces places) {
        StringBuilder results = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            results.append(i == 0 ? "" : ",").append("{\"name\":\"place ").append(i).append("\",\"rating\":4.50}");
        }
        places.respondWith("\n\n{\"html_attributions\":[],\n\n\n\"results\":[" + results + "],\"status\":\"OK\"}\n\n\n");
        String at = herd.client("Singleton").iamat("bounded", "+34.068930-118.445127", "1621464827");

        String reply = herd.client("Singleton").whatsat("bounded", "1.5", 3);
        assertThat(reply).startsWith(at + "\n").endsWith("}\n\n").doesNotContain("\n\n\n");
        assertThat(reply.substring(0, reply.length() - 2)).doesNotContain("\n\n");
        assertThat(reply).contains("\"place 2\"").doesNotContain("\"place 3\"").contains("\"rating\" : 4.50");

        List<RecordedRequest> requests = places.awaitRequests(1, CONVERGE);
        RecordedRequest request = requests.get(requests.size() - 1);
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo(FakePlaces.NEARBY_PATH);
        assertThat(request.param("location")).isEqualTo("34.068930,-118.445127");
        assertThat(request.param("radius")).isEqualTo("1500");
        assertThat(request.param("key")).isEqualTo(KEY);
    }

    @Test
    void placesFailureIsAnErrorAnswerNotASilence(Herd herd, FakePlaces places) {
        places.respondWith(503, "<html>Service Unavailable</html>");
        String at = herd.client("Hill").iamat("unlucky", UCLA, "5");
        String reply = herd.client("Hill").whatsat("unlucky", "10", 5);
        assertThat(reply).startsWith(at + "\n{\n   \"error_message\" : \"Places request failed: HTTP 503")
                .contains("\"results\" : []", "\"status\" : \"UNKNOWN_ERROR\"").endsWith("}\n\n");
        assertThat(reply).doesNotContain(KEY).doesNotContain("127.0.0.1");
    }

    @Test
    void slowPlacesIsCutOffAtTheTimeout(Herd herd, FakePlaces places) {
        places.respondWith(FakeReply.stall());
        String at = herd.client("Smith").iamat("patient", UCLA, "5");
        long start = System.nanoTime();
        String reply = herd.client("Smith").whatsat("patient", "10", 5);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(reply).startsWith(at + "\n").contains("\"status\" : \"UNKNOWN_ERROR\"", "no answer within 3000 ms");
    }

    @Test
    void atLineFromAPlainClientIsRefusedAndChangesNothing(Herd herd, FakePlaces places) {
        LineClient client = herd.client("Hill");
        String forged = "AT Smith +0.000000001 victim +0+0 9999999999";
        client.send(forged);
        assertThat(client.readLine()).isEqualTo("? " + forged);
        client.send("PEER Smith");
        assertThat(client.readLine()).isEqualTo("? PEER Smith");

        herd.client("Hill").iamat("marker2", "+0+0", "1");
        herd.awaitConverged("marker2", CONVERGE);
        for (String server : herd.names()) {
            assertThat(herd.record(server, "victim")).as(server).isEmpty();
        }
    }

    @Test
    void theKeyNeverReachesALog(Herd herd, FakePlaces places) {
        String at = herd.client("Hill").iamat("logged", UCLA, "5");
        herd.client("Hill").whatsat("logged", "10", 5);
        Wait.until("Hill's protocol log to show the WHATSAT reply", CONVERGE, () -> herd.linesLog("Hill").contains("Places JSON"));
        assertThat(herd.linesLog("Hill")).contains(at).doesNotContain(KEY);
        assertThat(herd.log("Hill")).doesNotContain(KEY);
    }
}
