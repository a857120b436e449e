package dev.herd.server;

import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import dev.herd.server.internal.Transport;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A server started the way Main starts it (listen early, then hand the socket to Netty), on each transport. */
@Timeout(30)
class HerdServerTransportTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void servesOverAnEarlyListenerOnEachTransport(Transport transport) throws Exception {
        assumeTrue(transport != Transport.EPOLL || Epoll.isAvailable(), "epoll is not available on this machine");
        Topology solo = Topology.of(List.of(new ServerSpec("Solo", "127.0.0.1", 0, List.of())));
        HerdConfig config = HerdConfig.builder(solo, "Solo").transport(transport).ioThreads(1)
                .logDir(Path.of(System.getProperty("herd.logDir", "target/herd-logs"), "transport-" + transport)).build();
        EarlySockets early = EarlySockets.listen(config);
        int port = early.clients().address().getPort();
        // Connect before Netty has the sockets: the connections must wait in the backlog, not be refused.
        try (Socket early1 = new Socket(); Socket peer = new Socket()) {
            peer.connect(early.peers().address(), 2000);
            early1.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            early1.setSoTimeout(5000);
            early1.getOutputStream().write("IAMAT early +1+1 1\n".getBytes(StandardCharsets.US_ASCII));
            try (HerdServer server = new HerdServer(config)) {
                assertThat(server.bind(early).getPort()).isEqualTo(port);
                server.serve();
                assertThat(readLine(early1.getInputStream())).startsWith("AT Solo +").endsWith(" early +1+1 1");
            }
        }
    }

    private static String readLine(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            assertThat(b).as("connection still open").isNotNegative();
            line.append((char) b);
        }
        return line.toString();
    }
}
