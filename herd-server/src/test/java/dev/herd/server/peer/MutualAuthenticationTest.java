package dev.herd.server.peer;

import dev.herd.protocol.At;
import dev.herd.protocol.MessageParser;
import dev.herd.server.HerdServer;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.HerdSecret;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stranger listening where a down peer should be can take the connecting server's proof, but gets
 * nothing for it: both ends prove the secret before either sends a record.
 */
@Timeout(30)
class MutualAuthenticationTest {
    private static final HerdSecret SECRET = new HerdSecret("correct horse battery staple".getBytes(StandardCharsets.UTF_8));

    @Test
    void aFakeListenerThatCannotProveTheSecretGetsNoRecord(@TempDir Path dir) throws Exception {
        Topology topology = Topology.of(List.of(new ServerSpec("A", "127.0.0.1", 0, List.of("B")),
                new ServerSpec("B", "127.0.0.1", 0, List.of("A"))));
        HerdConfig config = HerdConfig.builder(topology, "A").ioThreads(1).secret(SECRET).adminPort(ServerSpec.ADMIN_OFF)
                .logDir(dir).build();
        try (ServerSocket fake = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            InetSocketAddress fakeAddress = new InetSocketAddress("127.0.0.1", fake.getLocalPort());
            try (HerdServer a = new HerdServer(config, peer -> fakeAddress)) {
                a.start();
                a.store().offer((At) MessageParser.parse("AT A +0.000000001 victim +34-118 1621464827.5"));
                try (Socket link = fake.accept()) {
                    link.setSoTimeout(1000);
                    BufferedReader in = new BufferedReader(new InputStreamReader(link.getInputStream(), StandardCharsets.US_ASCII));
                    OutputStream out = link.getOutputStream();
                    assertThat(in.readLine()).isEqualTo("PEER A");
                    out.write(("CHALLENGE " + SECRET.newNonce() + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    assertThat(in.readLine()).startsWith("PROOF ");
                    assertThat(in.readLine()).matches("CHALLENGE [0-9a-f]{32}");
                    // The stranger cannot answer that challenge; it says it holds nothing, hoping for everything.
                    out.write("PROOF 00\nDIGEST 0 0\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    List<String> received = new ArrayList<>();
                    long deadline = System.nanoTime() + 3_000_000_000L;
                    try {
                        for (String line; System.nanoTime() < deadline && (line = in.readLine()) != null; ) {
                            received.add(line);
                        }
                    } catch (SocketTimeoutException | SocketException e) {
                        // quiet or closed: either way nothing came
                    }
                    assertThat(received).noneMatch(line -> line.startsWith("AT ") || line.startsWith("SUMS "));
                }
            }
        }
    }
}
