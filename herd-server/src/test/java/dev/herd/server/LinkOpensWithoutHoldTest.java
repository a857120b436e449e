package dev.herd.server;

import dev.herd.protocol.At;
import dev.herd.protocol.MessageParser;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import dev.herd.server.peer.EmptyStoreAnswers;
import dev.herd.testing.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A link carries live updates the moment it opens: nothing waits for the peer's digest, and records
 * a store comparison found missing never hold a live update back. The peer here is a plain socket, so the test
 * sees exactly what crosses the link and when.
 */
@Timeout(60)
class LinkOpensWithoutHoldTest {

    @Test
    void anUpdateKeptWhileThePeerWasDownCrossesWithin50msOfTheLinkOpening() throws Exception {
        int port = freePort();
        try (HerdServer server = soloLinkedTo(port, "hold-kept")) {
            server.start();
            // The first link a JVM opens pays for loading and compiling that code (tens of ms, start-up's
            // business, measured by tools/bench/startup.py); the link is opened once before the measured opening.
            for (int round = 1; round <= 2; round++) {
                String at = iamat(server, "kept" + round + " +1+1 1");
                // The ghost comes up only now: the update waited in the link's queue.
                try (ServerSocket ghost = new ServerSocket()) {
                    ghost.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                    try (Socket link = ghost.accept()) {
                        long opened = System.nanoTime();
                        link.setSoTimeout(5000);
                        BufferedReader in = reader(link);
                        assertThat(in.readLine()).isEqualTo("PEER Solo");
                        assertThat(in.readLine()).isEqualTo(at);
                        long millis = (System.nanoTime() - opened) / 1_000_000;
                        System.out.println("opening " + round + ": the kept update crossed " + millis + " ms after the link opened");
                        if (round == 2) {
                            assertThat(millis).as("ms from the link opening to the update crossing it").isLessThan(50);
                            // A live update, before this peer sent any digest: it crosses at once too.
                            String live = iamat(server, "live +2+2 2");
                            assertThat(in.readLine()).isEqualTo(live);
                        }
                    }
                }
                awaitLinkDown(server);
            }
        }
    }

    @Test
    void aCatchUpInProgressNeverHoldsALiveUpdateBack() throws Exception {
        try (ServerSocket ghost = new ServerSocket()) {
            int port = freePort();
            try (HerdServer server = soloLinkedTo(port, "hold-catch-up")) {
                // Far more than the socket buffers between the two hold, so most of it is still to send.
                int records = 500_000;
                for (int i = 0; i < records; i++) {
                    server.store().offer((At) MessageParser.parse("AT Solo +0.000000001 c" + i + " +1+1 " + (i + 1)));
                }
                ghost.setReceiveBufferSize(16 * 1024);
                ghost.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                server.start();
                try (Socket link = ghost.accept()) {
                    link.setSoTimeout(10_000);
                    BufferedReader in = reader(link);
                    assertThat(in.readLine()).isEqualTo("PEER Solo");
                    // "I hold nothing": the server compares stores, then sends all it holds.
                    OutputStream out = link.getOutputStream();
                    out.write("DIGEST 0 0\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    EmptyStoreAnswers empty = new EmptyStoreAnswers();
                    String line;
                    while (EmptyStoreAnswers.isSums(line = in.readLine())) {
                        out.write(empty.take(line));
                        out.flush();
                    }
                    assertThat(line).startsWith("AT Solo ");
                    String live = iamat(server, "live +2+2 2");
                    int before = 0;
                    while (!(line = in.readLine()).equals(live)) {
                        before++;
                    }
                    System.out.println("live update crossed after " + before + " of " + records + " catch-up records");
                    assertThat(before).as("catch-up records ahead of the live update").isLessThan(records / 2);
                }
            }
        }
    }

    private static void awaitLinkDown(HerdServer server) {
        Wait.until("the link to notice the ghost went", Duration.ofSeconds(5), () -> !server.peerLinks().get("Ghost"));
    }

    private static HerdServer soloLinkedTo(int ghostPort, String logs) throws Exception {
        Topology topology = Topology.of(List.of(
                new ServerSpec("Solo", "127.0.0.1", 0, List.of("Ghost")),
                new ServerSpec("Ghost", "127.0.0.1", 0, List.of("Solo"))));
        HerdConfig config = HerdConfig.builder(topology, "Solo").ioThreads(1)
                .logDir(Path.of(System.getProperty("herd.logDir", "target/herd-logs"), logs)).build();
        return new HerdServer(config, name -> new InetSocketAddress("127.0.0.1", ghostPort));
    }

    private static String iamat(HerdServer server, String fields) throws Exception {
        try (Socket client = new Socket()) {
            client.connect(server.boundAddress(), 2000);
            client.setSoTimeout(5000);
            client.getOutputStream().write(("IAMAT " + fields + "\n").getBytes(StandardCharsets.US_ASCII));
            return reader(client).readLine();
        }
    }

    private static BufferedReader reader(Socket s) throws Exception {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
