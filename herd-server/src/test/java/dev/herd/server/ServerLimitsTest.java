package dev.herd.server;

import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.HerdConfigBuilder;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import dev.herd.server.peer.InboundPeerHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The limits that keep one server standing: connections, idle clients. */
@Timeout(30)
class ServerLimitsTest {

    private static HerdServer start(Consumer<HerdConfigBuilder> options) throws Exception {
        Topology solo = Topology.of(List.of(new ServerSpec("Solo", "127.0.0.1", 0, List.of())));
        HerdConfigBuilder builder = HerdConfig.builder(solo, "Solo").ioThreads(1)
                .logDir(Path.of(System.getProperty("herd.logDir", "target/herd-logs"), "limits"));
        options.accept(builder);
        HerdServer server = new HerdServer(builder.build());
        server.start();
        return server;
    }

    private static Socket connect(HerdServer server) throws Exception {
        Socket s = new Socket();
        s.connect(server.boundAddress(), 2000);
        s.setSoTimeout(5000);
        return s;
    }

    private static String iamat(Socket s) throws Exception {
        s.getOutputStream().write("IAMAT x +1+1 1\n".getBytes(StandardCharsets.US_ASCII));
        StringBuilder line = new StringBuilder();
        InputStream in = s.getInputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                return null;
            }
            line.append((char) b);
        }
        return line.toString();
    }

    @Test
    void connectionsPastTheLimitAreClosedOnArrival() throws Exception {
        try (HerdServer server = start(b -> b.maxConnections(2));
             Socket a = connect(server); Socket b = connect(server)) {
            assertThat(iamat(a)).startsWith("AT Solo ");
            assertThat(iamat(b)).startsWith("AT Solo ");
            try (Socket c = connect(server)) {
                assertThat(c.getInputStream().read()).as("third connection closed").isEqualTo(-1);
            }
            a.close();
            // Once one leaves, a newcomer is served again.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            String reply = null;
            while (reply == null && System.nanoTime() < deadline) {
                try (Socket d = connect(server)) {
                    reply = iamat(d);
                } catch (IOException e) {
                    reply = null;
                }
            }
            assertThat(reply).startsWith("AT Solo ");
        }
    }

    @Test
    void clientsHoldingEverySlotDoNotKeepAPeerOut() throws Exception {
        Topology pair = Topology.of(List.of(new ServerSpec("A", "127.0.0.1", 0, List.of("B")),
                new ServerSpec("B", "127.0.0.1", 0, List.of("A"))));
        HerdConfig config = HerdConfig.builder(pair, "A").ioThreads(1).maxConnections(2).adminPort(ServerSpec.ADMIN_OFF)
                .logDir(Path.of(System.getProperty("herd.logDir", "target/herd-logs"), "limits")).build();
        try (HerdServer server = new HerdServer(config, peer -> null)) {
            server.start();
            try (Socket a = connect(server); Socket b = connect(server); Socket peer = new Socket()) {
                // Two clients trickling bytes hold both client slots...
                a.getOutputStream().write('I');
                b.getOutputStream().write('I');
                peer.connect(server.peerAddress(), 2000);
                peer.setSoTimeout(5000);
                peer.getOutputStream().write("PEER B\n".getBytes(StandardCharsets.US_ASCII));
                StringBuilder line = new StringBuilder();
                for (int c; (c = peer.getInputStream().read()) != '\n' && c >= 0; ) {
                    line.append((char) c);
                }
                // ... and the restarted peer is linked all the same: the peer port has its own budget.
                assertThat(line.toString()).startsWith("DIGEST ");
            }
        }
    }

    @Test
    void aConnectionThatNeverGreetsThePeerPortIsClosed() throws Exception {
        try (HerdServer server = start(b -> { });
             Socket stranger = new Socket()) {
            stranger.connect(server.peerAddress(), 2000);
            stranger.setSoTimeout((int) InboundPeerHandler.GREETING_TIMEOUT_MILLIS + 3000);
            assertThat(stranger.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void aSilentClientIsClosedAfterTheIdleTimeout() throws Exception {
        try (HerdServer server = start(b -> b.idleTimeout(Duration.ofMillis(300)));
             Socket quiet = connect(server)) {
            assertThat(iamat(quiet)).startsWith("AT Solo ");
            long start = System.nanoTime();
            assertThat(quiet.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(200), Duration.ofSeconds(4));
        }
    }
}
