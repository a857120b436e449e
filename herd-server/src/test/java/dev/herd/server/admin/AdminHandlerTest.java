package dev.herd.server.admin;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.protocol.ClientTime;
import dev.herd.protocol.Command;
import dev.herd.protocol.Location;
import dev.herd.protocol.MessageParser;
import dev.herd.protocol.TimeDiff;
import dev.herd.server.internal.BuildInfo;
import dev.herd.server.metrics.HerdMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin handler behind Netty's HTTP server codec, on an {@link EmbeddedChannel}, over a fixed server view. */
class AdminHandlerTest {
    private final HerdMetrics metrics = new HerdMetrics("offline");
    private boolean serving = true;
    private List<String> problems = List.of();
    private String dissemination = "flood";
    private final ServerView view = new ServerView() {
        @Override
        public String name() {
            return "Hill";
        }

        @Override
        public String address() {
            return "127.0.0.1:12205";
        }

        @Override
        public boolean serving() {
            return serving;
        }

        @Override
        public List<String> problems() {
            return problems;
        }

        @Override
        public HerdMetrics metrics() {
            return metrics;
        }

        @Override
        public int records() {
            return 7;
        }

        @Override
        public int openConnections() {
            return 3;
        }

        @Override
        public Optional<At> record(String clientId) {
            return clientId.equals("kiwi") ? Optional.of(At.of("Smith", "+0.1", Bytes.utf8("kiwi"), Location.parse("+1+1"),
                    ClientTime.parse("1700000000.5"))) : Optional.empty();
        }

        @Override
        public List<PeerState> peers() {
            Boolean tree = dissemination.equals("tree") ? true : null;
            return List.of(new PeerState("Jaquez", true, 2, 40, 1800, 0, tree),
                    new PeerState("Smith", false, 0, 5, 225, 1, tree == null ? null : false));
        }

        @Override
        public String dissemination() {
            return dissemination;
        }

        @Override
        public List<Member> herd() {
            return List.of(new Member("Hill", "http://127.0.0.1:13205", List.of("Jaquez", "Smith")),
                    new Member("Jaquez", "http://127.0.0.1:13206", List.of("Hill")),
                    new Member("Smith", null, List.of("Hill")));
        }
    };
    private final EmbeddedChannel server = new EmbeddedChannel(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
            new HttpObjectAggregator(8192), new AdminHandler(view, new StaticFiles()));
    private final EmbeddedChannel client = new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(1 << 20));

    @AfterEach
    void close() {
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }

    /** Sends a request through a client codec, hands its bytes to the server, and decodes the answer. */
    private FullHttpResponse exchange(HttpMethod method, String uri) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        request.headers().set(HttpHeaderNames.HOST, "127.0.0.1");
        return exchange(request);
    }

    private FullHttpResponse exchange(DefaultFullHttpRequest request) {
        client.writeOutbound(request);
        for (ByteBuf out; (out = client.readOutbound()) != null; ) {
            server.writeInbound(out);
        }
        for (ByteBuf in; (in = server.readOutbound()) != null; ) {
            client.writeInbound(in);
        }
        FullHttpResponse response = client.readInbound();
        assertThat(response).as("a response").isNotNull();
        return response;
    }

    private static String body(FullHttpResponse response) {
        try {
            return response.content().toString(StandardCharsets.UTF_8);
        } finally {
            response.release();
        }
    }

    @Test
    void metricsAreServedInTheTextFormatWithTheirContentType() {
        metrics.line(MessageParser.parse("IAMAT kiwi +1+1 1"), true);
        FullHttpResponse response = exchange(HttpMethod.GET, "/metrics");
        assertThat(response.status().code()).isEqualTo(200);
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        String text = body(response);
        assertThat(text).contains("herd_lines_total{command=\"IAMAT\",outcome=\"ok\"} 1\n",
                "herd_store_records 7\n", "herd_connections_open 3\n",
                "herd_peer_link_up{peer=\"Jaquez\"} 1\n", "herd_peer_link_up{peer=\"Smith\"} 0\n",
                "herd_peer_link_reconnects_total{peer=\"Jaquez\"} 2\n",
                "herd_flood_updates_sent_total{peer=\"Smith\"} 5\n",
                "herd_build_info{version=\"" + BuildInfo.version() + "\",java=\"" + Runtime.version() + "\"} 1\n");
        assertThat(BuildInfo.version()).isNotEqualTo("unknown");
    }

    @Test
    void metricsTimeRequestsAndPropagationAndCountEachLinksTraffic() {
        metrics.requestDuration(Command.IAMAT).record(200_000); // 0.2 ms
        metrics.requestDuration(Command.WHATSAT).record(30_000_000); // 30 ms
        // An update Smith received 20 ms ago (by its time difference), now kept here from Jaquez.
        Instant now = Instant.now();
        ClientTime sent = ClientTime.parse("1700000000.5");
        Instant firstReceived = now.minusMillis(20);
        At update = At.of("Smith", TimeDiff.between(firstReceived.getEpochSecond(), firstReceived.getNano(), sent),
                Bytes.utf8("kiwi"), Location.parse("+1+1"), sent);
        metrics.applied(update, "Jaquez", true);
        metrics.applied(update, "Jaquez", false); // the same again: stale, counted as traffic, not timed twice
        String text = body(exchange(HttpMethod.GET, "/metrics"));
        int lineBytes = update.canonicalLine().length() + 1;
        assertThat(text).contains(
                "herd_request_duration_seconds_bucket{command=\"IAMAT\",le=\"0.0001\"} 0\n",
                "herd_request_duration_seconds_bucket{command=\"IAMAT\",le=\"0.00025\"} 1\n",
                "herd_request_duration_seconds_count{command=\"IAMAT\"} 1\n",
                "herd_request_duration_seconds_bucket{command=\"WHATSAT\",le=\"0.025\"} 0\n",
                "herd_request_duration_seconds_bucket{command=\"WHATSAT\",le=\"0.05\"} 1\n",
                "herd_flood_propagation_seconds_bucket{le=\"0.01\"} 0\n",
                "herd_flood_propagation_seconds_count 1\n",
                "herd_peer_link_received_updates_total{peer=\"Jaquez\"} 2\n",
                "herd_peer_link_received_updates_total{peer=\"Smith\"} 0\n",
                "herd_peer_link_received_bytes_total{peer=\"Jaquez\"} " + 2 * lineBytes + "\n",
                "herd_peer_link_sent_bytes_total{peer=\"Jaquez\"} 1800\n");
        // 20 ms and a little: in the bucket up to 25 ms, or the next if this machine is very slow.
        assertThat(text).containsAnyOf("herd_flood_propagation_seconds_bucket{le=\"0.025\"} 1\n",
                "herd_flood_propagation_seconds_bucket{le=\"0.05\"} 1\n");
    }

    @Test
    void recordsSaysWhatThisServerHoldsForEachClientAskedAbout() {
        FullHttpResponse response = exchange(HttpMethod.GET, "/records?client=kiwi&client=owl%20x");
        assertThat(response.status().code()).isEqualTo(200);
        assertThat(body(response)).isEqualTo("{\"records\":{\"kiwi\":{\"server\":\"Smith\",\"time\":\"1700000000.5\","
                + "\"location\":\"+1+1\"},\"owl x\":null}}");
        assertThat(body(exchange(HttpMethod.GET, "/records"))).isEqualTo("{\"records\":{}}");
    }

    @Test
    void healthIsUnavailableWithTheReasonWhileTheServerCannotDoItsJob() {
        problems = List.of("journal /data/Hill.journal cannot be written (No space left on device)");
        FullHttpResponse failing = exchange(HttpMethod.GET, "/health");
        assertThat(failing.status().code()).isEqualTo(503);
        assertThat(body(failing)).contains("\"status\":\"failing\"", "No space left on device");
        problems = List.of();
        assertThat(exchange(HttpMethod.GET, "/health").status().code()).isEqualTo(200);
    }

    @Test
    void healthIsOkWhileServingAndUnavailableWhileStopping() {
        FullHttpResponse ok = exchange(HttpMethod.GET, "/health");
        assertThat(ok.status().code()).isEqualTo(200);
        assertThat(body(ok)).isEqualTo("{\"server\":\"Hill\",\"status\":\"serving\",\"problems\":[],\"peers\":{\"Jaquez\":\"up\",\"Smith\":\"down\"}}");
        serving = false;
        FullHttpResponse stopping = exchange(HttpMethod.GET, "/health?verbose=1");
        assertThat(stopping.status().code()).isEqualTo(503);
        assertThat(body(stopping)).contains("\"status\":\"stopping\"");
    }

    @Test
    void statusListsTheHerdAndTheNewestUpdatesFirst() {
        metrics.applied(At.of("Hill", "+0.5", Bytes.utf8("kiwi"), Location.parse("+34.068930-118.445127"),
                new ClientTime(1621464827, 0, "1621464827")), null, true);
        metrics.applied(At.of("Smith", "+0.1", Bytes.utf8("owl \"x\""), Location.parse("+1+1"),
                new ClientTime(100, 0, "100")), "Jaquez", true);
        FullHttpResponse response = exchange(HttpMethod.GET, "/status");
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json; charset=utf-8");
        assertThat(response.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN)).isEqualTo("*");
        String json = body(response);
        assertThat(json).doesNotContain("treeLink");
        assertThat(json).contains("\"server\":\"Hill\"", "\"records\":7,\"dissemination\":\"flood\"",
                "\"version\":\"" + BuildInfo.version() + "\"", "\"connections\":{\"open\":3,",
                "{\"name\":\"Smith\",\"admin\":null,\"peers\":[\"Hill\"]}",
                "{\"name\":\"Smith\",\"up\":false,\"reconnects\":0,\"updatesSent\":5,\"bytesSent\":225,\"updatesReceived\":0,",
                "{\"name\":\"Jaquez\",\"up\":true,\"reconnects\":2,\"updatesSent\":40,\"bytesSent\":1800,\"updatesReceived\":1,",
                "\"latency\":{\"boundsSeconds\":[5.0E-5,1.0E-4,",
                "\"client\":\"owl \\\"x\\\"\",\"server\":\"Smith\",\"from\":\"Jaquez\"",
                "\"client\":\"kiwi\",\"server\":\"Hill\",\"from\":\"client\",\"location\":\"+34.068930-118.445127\"");
    }

    @Test
    void inTreeModeTheStatusSaysSoAndWhichLinksAreTheTrees() {
        dissemination = "tree";
        String json = body(exchange(HttpMethod.GET, "/status"));
        assertThat(json).contains("\"dissemination\":\"tree\"", "{\"name\":\"Jaquez\",\"up\":true,\"treeLink\":true,",
                "{\"name\":\"Smith\",\"up\":false,\"treeLink\":false,");
    }

    @Test
    void theStatusPageAndItsFilesComeFromTheJar() {
        FullHttpResponse page = exchange(HttpMethod.GET, "/");
        assertThat(page.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/html; charset=utf-8");
        assertThat(body(page)).contains("<script src=\"status.js\"></script>").doesNotContain("https://");
        FullHttpResponse script = exchange(HttpMethod.GET, "/status.js");
        assertThat(script.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/javascript; charset=utf-8");
        assertThat(body(script)).contains("function refresh()");
        FullHttpResponse css = exchange(HttpMethod.GET, "/status.css");
        assertThat(css.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/css; charset=utf-8");
        css.release();
    }

    @Test
    void unknownPathsAndMethodsAreAnsweredPlainly() {
        FullHttpResponse missing = exchange(HttpMethod.GET, "/nope");
        assertThat(missing.status().code()).isEqualTo(404);
        assertThat(body(missing)).isEqualTo("not found: /nope (try /, /metrics, /health, /status or /records?client=ID)\n");
        FullHttpResponse post = exchange(HttpMethod.POST, "/metrics");
        assertThat(post.status().code()).isEqualTo(405);
        assertThat(post.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET, HEAD");
        post.release();
        FullHttpResponse head = exchange(HttpMethod.HEAD, "/status");
        assertThat(head.status().code()).isEqualTo(200);
        assertThat(head.content().readableBytes()).isZero();
        head.release();
        assertThat(server.isOpen()).isTrue();
    }

    @Test
    void aRequestThatIsNotHttpGetsABadRequestAndTheConnectionCloses() {
        server.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost \u0000bad\r\n\r\n", StandardCharsets.ISO_8859_1));
        for (ByteBuf in; (in = server.readOutbound()) != null; ) {
            client.writeInbound(in);
        }
        FullHttpResponse response = client.readInbound();
        assertThat(response).isNotNull();
        assertThat(response.status().code()).isEqualTo(400);
        response.release();
        assertThat(server.isOpen()).isFalse();
    }
}
