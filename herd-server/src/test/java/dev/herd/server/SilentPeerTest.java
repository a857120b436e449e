package dev.herd.server;

import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A peer that accepts the TCP connection and then never reads a byte slows no client. */
@Timeout(60)
class SilentPeerTest {

    @Test
    void clientsAreAnsweredAtOnceWhileAPeerSwallowsNothing() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket ghost = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (!ghost.isClosed()) {
                        accepted.add(ghost.accept());
                    }
                } catch (IOException closed) {
                    // The test is over.
                }
            }, "ghost-peer");
            acceptor.setDaemon(true);
            acceptor.start();
            Topology topology = Topology.of(List.of(
                    new ServerSpec("Solo", "127.0.0.1", 0, List.of("Ghost")),
                    new ServerSpec("Ghost", "127.0.0.1", 0, List.of("Solo")).withPeerPort(ghost.getLocalPort())));
            HerdConfig config = HerdConfig.builder(topology, "Solo").ioThreads(1)
                    .logDir(Path.of(System.getProperty("herd.logDir", "target/herd-logs"), "silent-peer")).build();
            try (HerdServer server = new HerdServer(config,
                    name -> new InetSocketAddress("127.0.0.1", ghost.getLocalPort()));
                 Socket client = new Socket()) {
                server.start();
                client.connect(server.boundAddress(), 2000);
                client.setSoTimeout(5000);
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                // Far more updates than the link's socket buffers hold: the link fills up, the server does not.
                StringBuilder batch = new StringBuilder();
                for (int i = 0; i < 200; i++) {
                    batch.append("IAMAT client").append(i).append(' ').append("+34.068930-118.445127 ").append(1000 + i).append('\n');
                }
                for (int round = 0; round < 100; round++) {
                    client.getOutputStream().write(batch.toString().getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 200; i++) {
                        assertThat(in.readLine()).startsWith("AT Solo ");
                    }
                }
                assertThat(server.store().size()).isEqualTo(200);
            }
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
