package dev.herd.server.peer;

import dev.herd.server.HerdServer;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer that stalls (frozen, its link still open) while a burst goes by: the link's queue overflows
 * and updates are dropped. Once the peer reads again, the link compares stores (sums per bucket) and
 * sends what the peer lacks, rather than leaving the two apart for good.
 */
@Timeout(60)
class RepairAfterDropsTest {
    /** Long ids: more bytes than the kernel's socket buffers hold, so the link's own queue overflows. */
    private static final String PADDING = "-" + "x".repeat(300);

    @Test
    void updatesDroppedForAStalledPeerReachItOnceItReadsAgain(@TempDir Path dir) throws Exception {
        Topology topology = Topology.of(List.of(new ServerSpec("A", "127.0.0.1", 0, List.of("B")),
                new ServerSpec("B", "127.0.0.1", 0, List.of("A"))));
        HerdConfig config = HerdConfig.builder(topology, "A").ioThreads(1).adminPort(ServerSpec.ADMIN_OFF)
                .logDir(Path.of(System.getProperty("herd.logDir", "target/herd-logs"), "repair")).build();
        int clients = 3 * LinkOutput.MAX_PENDING;
        try (ServerSocket stalled = new ServerSocket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.bind(new InetSocketAddress("127.0.0.1", 0));
            InetSocketAddress at = new InetSocketAddress("127.0.0.1", stalled.getLocalPort());
            try (HerdServer a = new HerdServer(config, peer -> at)) {
                a.start();
                try (Socket link = stalled.accept()) {
                    link.setSoTimeout(5000);
                    BufferedReader in = new BufferedReader(new InputStreamReader(link.getInputStream(), StandardCharsets.US_ASCII));
                    OutputStream out = link.getOutputStream();
                    assertThat(in.readLine()).isEqualTo("PEER A");
                    out.write("DIGEST 0 0\n".getBytes(StandardCharsets.US_ASCII)); // as empty as A: no catch-up now
                    out.flush();
                    // The peer reads nothing while A's clients report.
                    try (Socket client = new Socket()) {
                        client.connect(a.boundAddress(), 2000);
                        client.setSoTimeout(20_000);
                        StringBuilder burst = new StringBuilder();
                        for (int i = 0; i < clients; i++) {
                            burst.append("IAMAT c").append(i).append(PADDING).append(" +1+1 ").append(1000 + i).append('\n');
                        }
                        byte[] bytes = burst.toString().getBytes(StandardCharsets.US_ASCII);
                        // Written beside the reading of the replies: the server stops reading a client that does not read.
                        Thread writer = new Thread(() -> {
                            try {
                                client.getOutputStream().write(bytes);
                            } catch (IOException e) {
                                // the assertions below say what went wrong
                            }
                        });
                        writer.start();
                        BufferedReader replies = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                        for (int i = 0; i < clients; i++) {
                            assertThat(replies.readLine()).startsWith("AT A ");
                        }
                    }
                    assertThat(a.store().size()).isEqualTo(clients);
                    // The peer reads again; when A probes it after the drops, it says it holds less.
                    Set<String> received = new HashSet<>();
                    // This peer holds nothing: it answers A's sums as an empty store does.
                    EmptyStoreAnswers empty = new EmptyStoreAnswers();
                    boolean compared = false;
                    long deadline = System.nanoTime() + 20_000_000_000L;
                    while (received.size() < clients && System.nanoTime() < deadline) {
                        String line = in.readLine();
                        if (line == null) {
                            break;
                        }
                        if (EmptyStoreAnswers.isSums(line)) {
                            byte[] answer = empty.take(line);
                            compared |= answer.length > 0;
                            out.write(answer);
                            out.flush();
                        } else if (line.startsWith("AT ")) {
                            received.add(line.split(" ")[3]);
                        }
                    }
                    assertThat(compared).as("A compared stores after dropping updates").isTrue();
                    assertThat(received).hasSize(clients);
                }
            }
        }
    }
}
