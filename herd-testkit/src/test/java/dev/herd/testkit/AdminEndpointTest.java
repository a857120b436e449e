package dev.herd.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herd.testing.FakePlaces;
import dev.herd.testing.FakeReply;
import dev.herd.testing.LineClient;
import dev.herd.testing.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The admin endpoint of every server of a running herd: {@code /metrics} read by a strict
 * text-format parser (and by Prometheus's own promtool where it is installed), every counter moving
 * when its event happens, {@code /health} and {@code /status}.
 */
@HerdTest
@Timeout(60)
class AdminEndpointTest {
    private static final Duration SOON = Duration.ofSeconds(5);
    private static final String UCLA = "+34.068930-118.445127";
    private static final String ONE_RESULT = "{\"html_attributions\":[],\"results\":[{\"name\":\"Royce Hall\"}],\"status\":\"OK\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Waits until {@code server}'s series reaches {@code expected}; the counters are bumped on other threads. */
    private static void awaitValue(Herd herd, String server, double expected, String name, String... labels) {
        double[] last = {Double.NaN};
        try {
            Wait.until(server + " " + name + " = " + expected, SOON, () -> {
                last[0] = AdminHttp.metrics(herd, server).value(name, labels);
                return last[0] == expected;
            });
        } catch (AssertionError e) {
            throw new AssertionError(server + ": " + name + Arrays.toString(labels) + " is " + last[0]
                    + ", expected " + expected, e);
        }
    }

    /** Waits until {@code server}'s series is at least {@code least}: for counts the flood's timing may raise further. */
    private static void awaitAtLeast(Herd herd, String server, double least, String name, String... labels) {
        Wait.until(server + " " + name + " >= " + least, SOON,
                () -> AdminHttp.metrics(herd, server).value(name, labels) >= least);
    }

    @Test
    void everyCounterMovesWhenItsEventHappens(Herd herd, FakePlaces places) {
        places.respondWith(ONE_RESULT);
        PrometheusScrape hill = AdminHttp.metrics(herd, "Hill");
        PrometheusScrape jaquez = AdminHttp.metrics(herd, "Jaquez");
        double open = hill.value("herd_connections_open");
        double total = hill.value("herd_connections_total");
        assertThat(hill.value("herd_store_records")).isZero();
        assertThat(hill.value("herd_peer_link_up", "peer", "Smith")).isEqualTo(1);
        assertThat(hill.value("jvm_memory_used_bytes", "area", "heap")).isPositive();
        assertThat(hill.value("jvm_threads_current")).isPositive();
        assertThat(hill.value("process_open_fds")).isPositive();
        assertThat(hill.value("process_cpu_seconds_total")).isPositive();
        assertThat(hill.type("jvm_gc_collections_total")).isEqualTo("counter");
        assertThat(hill.type("herd_places_request_duration_seconds")).isEqualTo("histogram");

        LineClient client = herd.client("Hill");
        awaitValue(herd, "Hill", total + 1, "herd_connections_total");
        awaitValue(herd, "Hill", open + 1, "herd_connections_open");

        String at = client.iamat("kiwi", UCLA, "1621464827.959498503");
        assertThat(client.whatsat("kiwi", "10", 5)).contains("Royce Hall");
        client.send("WHATSAT nobody 10 5");
        assertThat(client.readLine()).isEqualTo("? WHATSAT nobody 10 5");
        client.send("IAMAT kiwi nowhere 1621464827");
        assertThat(client.readLine()).startsWith("? IAMAT");
        client.send("HELLO there");
        assertThat(client.readLine()).isEqualTo("? HELLO there");

        awaitValue(herd, "Hill", 1, "herd_lines_total", "command", "IAMAT", "outcome", "ok");
        awaitValue(herd, "Hill", 1, "herd_lines_total", "command", "IAMAT", "outcome", "invalid");
        awaitValue(herd, "Hill", 1, "herd_lines_total", "command", "WHATSAT", "outcome", "ok");
        awaitValue(herd, "Hill", 1, "herd_lines_total", "command", "WHATSAT", "outcome", "invalid");
        awaitValue(herd, "Hill", 1, "herd_lines_total", "command", "OTHER", "outcome", "invalid");
        awaitValue(herd, "Hill", 1, "herd_replies_total", "kind", "at");
        awaitValue(herd, "Hill", 1, "herd_replies_total", "kind", "places");
        awaitValue(herd, "Hill", 3, "herd_replies_total", "kind", "invalid");
        awaitValue(herd, "Hill", 1, "herd_store_records");
        awaitValue(herd, "Hill", 1, "herd_places_requests_total", "source", "legacy_api", "outcome", "ok");
        awaitValue(herd, "Hill", 1, "herd_places_request_duration_seconds_count", "source", "legacy_api");
        awaitValue(herd, "Hill", 1, "herd_flood_updates_sent_total", "peer", "Jaquez");
        awaitValue(herd, "Hill", 1, "herd_flood_updates_sent_total", "peer", "Smith");
        // From Hill, and maybe once more the long way round (then dropped as stale).
        awaitAtLeast(herd, "Jaquez", jaquez.value("herd_flood_updates_received_total") + 1, "herd_flood_updates_received_total");

        // A Places error is counted under its status, not as ok.
        places.respondWith(FakeReply.googleError("REQUEST_DENIED", "The provided API key is invalid."));
        client.iamat("owl", "+1+1", "100");
        client.whatsat("owl", "10", 5);
        awaitValue(herd, "Hill", 1, "herd_places_requests_total", "source", "legacy_api", "outcome", "request_denied");
        awaitValue(herd, "Hill", 2, "herd_places_request_duration_seconds_count", "source", "legacy_api");

        // An update Hill already holds, sent again by a peer, is received and dropped as stale.
        herd.awaitConverged("owl", SOON);
        double received = AdminHttp.metrics(herd, "Hill").value("herd_flood_updates_received_total");
        double stale = AdminHttp.metrics(herd, "Hill").value("herd_flood_updates_stale_total");
        LineClient peer = LineClient.connect(herd.peerAddress("Hill"));
        peer.send("PEER Jaquez");
        peer.send(at);
        awaitAtLeast(herd, "Hill", received + 1, "herd_flood_updates_received_total");
        awaitAtLeast(herd, "Hill", stale + 1, "herd_flood_updates_stale_total");

        client.close();
        peer.close();
        awaitValue(herd, "Hill", open, "herd_connections_open");

        // A peer link goes down with its peer, and counts a reconnect when it is back.
        herd.kill("Smith");
        awaitValue(herd, "Hill", 0, "herd_peer_link_up", "peer", "Smith");
        herd.restart("Smith");
        awaitValue(herd, "Hill", 1, "herd_peer_link_up", "peer", "Smith");
        // At least once: while Smith was down, the kit's relay may have accepted a connection for it.
        awaitAtLeast(herd, "Hill", 1, "herd_peer_link_reconnects_total", "peer", "Smith");
        awaitValue(herd, "Hill", 0, "herd_peer_link_reconnects_total", "peer", "Jaquez");
    }

    @Test
    @HerdTest(topology = "{\"servers\": {\"Solo\": {\"port\": 1, \"peers\": []}}}")
    void theOfflineSourceIsCountedAsOffline(Herd herd) {
        LineClient client = herd.client("Solo");
        client.iamat("kiwi", UCLA, "1621464827.959498503");
        assertThat(client.whatsat("kiwi", "10", 5)).contains("\"status\" : \"OK\"");
        client.iamat("fish", "+30-140", "1621464827");
        assertThat(client.whatsat("fish", "1", 5)).contains("\"status\" : \"ZERO_RESULTS\"");
        awaitValue(herd, "Solo", 1, "herd_places_requests_total", "source", "offline", "outcome", "ok");
        awaitValue(herd, "Solo", 1, "herd_places_requests_total", "source", "offline", "outcome", "zero_results");
        PrometheusScrape solo = AdminHttp.metrics(herd, "Solo");
        assertThat(solo.value("herd_places_request_duration_seconds_bucket", "source", "offline", "le", "+Inf")).isEqualTo(2);
        assertThat(solo.value("herd_places_request_duration_seconds_sum", "source", "offline")).isPositive();
    }

    @Test
    void prometheusOwnToolReadsTheMetricsWithoutAProblem(Herd herd) throws IOException, InterruptedException {
        String promtool = promtool();
        assumeTrue(promtool != null, "promtool (Prometheus's own text-format parser and linter) is not installed:"
                + " set HERD_PROMTOOL or put it on the PATH (.ci/run fetches it from Debian's prometheus package)");
        herd.client("Hill").iamat("kiwi", UCLA, "1621464827.959498503");
        herd.awaitConverged("kiwi", SOON);
        for (String server : herd.names()) {
            Path scrape = Files.createTempFile("metrics-" + server, ".txt");
            try {
                Files.writeString(scrape, AdminHttp.body(herd, server, "metrics"));
                Process check = new ProcessBuilder(promtool, "check", "metrics")
                        .redirectInput(scrape.toFile()).redirectErrorStream(true).start();
                assertThat(check.waitFor(20, TimeUnit.SECONDS)).as("promtool finished").isTrue();
                String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(check.exitValue()).as(server + ": promtool check metrics said: " + output).isZero();
            } finally {
                Files.deleteIfExists(scrape);
            }
        }
    }

    private static String promtool() {
        String configured = System.getenv("HERD_PROMTOOL");
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "promtool"))) {
                return Path.of(dir, "promtool").toString();
            }
        }
        return null;
    }

    @Test
    void healthAndStatusDescribeEachServerAndItsLinks(Herd herd) throws IOException {
        JsonNode health = JSON.readTree(AdminHttp.body(herd, "Smith", "health"));
        assertThat(health.get("server").asText()).isEqualTo("Smith");
        assertThat(health.get("status").asText()).isEqualTo("serving");
        assertThat(health.get("peers").toString()).isEqualTo("{\"Hill\":\"up\",\"Campbell\":\"up\",\"Singleton\":\"up\"}");

        String at = herd.client("Hill").iamat("kiwi", UCLA, "1621464827.959498503");
        herd.awaitConverged("kiwi", SOON);
        JsonNode status = JSON.readTree(AdminHttp.body(herd, "Jaquez", "status"));
        assertThat(status.get("server").asText()).isEqualTo("Jaquez");
        assertThat(status.get("serving").asBoolean()).isTrue();
        assertThat(status.get("address").asText()).isEqualTo("127.0.0.1:" + herd.address("Jaquez").getPort());
        assertThat(status.get("records").asInt()).isEqualTo(1);
        assertThat(status.get("uptimeSeconds").asLong()).isNotNegative();
        JsonNode peers = status.get("peers");
        assertThat(peers).extracting(p -> p.get("name").asText() + " " + p.get("up").asBoolean() + " " + p.get("reconnects").asInt())
                .containsExactly("Hill true 0", "Singleton true 0");
        // Jaquez forwards kiwi once: to Singleton if Hill's copy came first, else to Hill.
        assertThat(peers.get(0).get("updatesSent").asInt() + peers.get(1).get("updatesSent").asInt()).isEqualTo(1);
        JsonNode update = status.get("recentUpdates").get(0);
        assertThat(update.get("client").asText()).isEqualTo("kiwi");
        assertThat(update.get("server").asText()).isEqualTo("Hill");
        assertThat(update.get("from").asText()).isIn("Hill", "Singleton"); // whichever copy came first
        assertThat(update.get("location").asText()).isEqualTo(UCLA);
        assertThat(update.get("time").asText()).isEqualTo("1621464827.959498503");
        assertThat(at).contains(update.get("time").asText());

        // Every server of the herd is listed with an admin URL that answers for that server.
        List<String> names = new ArrayList<>();
        for (JsonNode member : status.get("herd")) {
            names.add(member.get("name").asText());
            HttpResponse<String> other = AdminHttp.get(URI.create(member.get("admin").asText() + "/health"));
            assertThat(other.statusCode()).isEqualTo(200);
            assertThat(other.headers().firstValue("access-control-allow-origin")).contains("*");
            assertThat(JSON.readTree(other.body()).get("server").asText()).isEqualTo(member.get("name").asText());
        }
        assertThat(names).containsExactly("Hill", "Jaquez", "Smith", "Campbell", "Singleton");

        herd.kill("Hill");
        Wait.until("Jaquez to see its link to Hill down", SOON, () ->
                AdminHttp.body(herd, "Jaquez", "health").contains("\"Hill\":\"down\""));
        assertThat(AdminHttp.get(herd.adminUri("Jaquez").resolve("health")).statusCode()).isEqualTo(200);
    }
}
