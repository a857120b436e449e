package dev.herd.server;

import com.sun.net.httpserver.HttpServer;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A stopping server answers what it owes before it closes. */
@Timeout(30)
class GracefulStopTest {

    @Test
    void aWhatsatWaitingForPlacesIsAnsweredAtOnceWhenTheServerStops() throws Exception {
        HttpServer slowPlaces = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        CountDownLatch released = new CountDownLatch(1);
        slowPlaces.createContext("/", exchange -> {
            try {
                // Answers only when the test ends (or after 5 s): the WHATSAT is still waiting when the server stops.
                released.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = "{\"results\":[],\"status\":\"ZERO_RESULTS\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        slowPlaces.start();
        try {
            Topology solo = Topology.of(List.of(new ServerSpec("Solo", "127.0.0.1", 0, List.of())));
            HerdConfig config = HerdConfig.builder(solo, "Solo").ioThreads(1)
                    .placesUrl(URI.create("http://127.0.0.1:" + slowPlaces.getAddress().getPort() + "/nearby"))
                    .logDir(Path.of(System.getProperty("herd.logDir", "target/herd-logs"), "graceful")).build();
            HerdServer server = new HerdServer(config);
            server.start();
            try (Socket client = new Socket()) {
                client.connect(server.boundAddress(), 2000);
                client.setSoTimeout(10_000);
                client.getOutputStream().write("IAMAT kiwi +34-118 1\nWHATSAT kiwi 10 5\n".getBytes(StandardCharsets.US_ASCII));
                // Wait for the IAMAT's reply, so the WHATSAT is surely in flight, then stop the server.
                int first = client.getInputStream().read();
                assertThat(first).isEqualTo('A');
                long start = System.nanoTime();
                CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> server.stop(Main.STOP_DRAIN));
                String rest = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                // The answer a failed Places query gets, at once: a stop never waits for Places.
                assertThat(rest).contains("\nAT Solo ").contains("\"status\" : \"UNKNOWN_ERROR\"")
                        .contains("the server is stopping").endsWith("}\n\n");
                stopping.get(10, TimeUnit.SECONDS);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            }
        } finally {
            released.countDown();
            slowPlaces.stop(0);
        }
    }
}
