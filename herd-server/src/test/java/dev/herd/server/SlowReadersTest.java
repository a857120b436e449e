package dev.herd.server;

import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import dev.herd.testing.Wait;
import io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sixty clients pipelining IAMAT and 20-result WHATSATs and never reading: once ran the server out
 * of direct memory. Each connection's unread replies are bounded in bytes, so memory stays small and
 * an unrelated client is answered at once.
 */
@Timeout(60)
class SlowReadersTest {
    @Test
    void clientsThatNeverReadCannotExhaustMemoryOrStarveOthers() throws Exception {
        Topology solo = Topology.of(List.of(new ServerSpec("Solo", "127.0.0.1", 0, List.of())));
        HerdConfig config = HerdConfig.builder(solo, "Solo").ioThreads(2)
                .logDir(Path.of(System.getProperty("herd.logDir", "target/herd-logs"), "slow-readers")).build();
        List<Socket> stalled = new ArrayList<>();
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try (HerdServer server = new HerdServer(config)) {
            server.start();
            byte[] burst = ("IAMAT slow +34.068930-118.445127 1621464827.5\n" + "WHATSAT slow 50 20\n".repeat(200))
                    .getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 60; i++) {
                Socket s = new Socket();
                s.setReceiveBufferSize(4096);
                s.connect(server.boundAddress(), 2000);
                stalled.add(s);
                writers.execute(() -> {
                    try {
                        OutputStream out = s.getOutputStream();
                        for (int k = 0; k < 10; k++) {
                            out.write(burst); // blocks once the server stops reading: that is the point
                        }
                    } catch (IOException e) {
                        // closed at the end of the test
                    }
                });
            }
            // Until the kernel's socket buffers are full the server has replies to write; then it stops
            // reading from every one of them (it logs each pause), and all is quiet.
            Wait.until("the server to stop reading from all 60 clients", Duration.ofSeconds(30),
                    () -> pausedClients(server) >= 60);
            long netty = Math.max(0, PlatformDependent.usedDirectMemory());
            long jdk = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
                    .stream().filter(p -> p.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
            System.out.printf("60 clients that never read: direct memory %d KB (Netty) + %d KB (JDK)%n", netty >> 10, jdk >> 10);
            assertThat(Math.max(netty, jdk)).as("direct memory").isLessThan(128L << 20);
            long start = System.nanoTime();
            try (Socket other = new Socket()) {
                other.connect(server.boundAddress(), 2000);
                other.setSoTimeout(5000);
                other.getOutputStream().write("IAMAT other +1+1 1\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = other.getInputStream();
                StringBuilder line = new StringBuilder();
                for (int b; (b = in.read()) != '\n' && b >= 0; ) {
                    line.append((char) b);
                }
                assertThat(line.toString()).startsWith("AT Solo ");
            }
            System.out.printf("an unrelated client answered in %.1f ms%n", (System.nanoTime() - start) / 1e6);
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
            writers.shutdownNow();
        }
    }

    /** Client connections the server has said it stopped reading from, by address. */
    private static long pausedClients(HerdServer server) {
        try {
            Path log = server.config().logFile();
            if (!Files.exists(log)) {
                return 0;
            }
            // The file is appended to across runs: only this run's lines, from its start on, count.
            List<String> lines = Files.readAllLines(log);
            int start = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(server.name() + " listening on")) {
                    start = i;
                }
            }
            return lines.subList(start, lines.size()).stream().filter(l -> l.contains("reading from it paused"))
                    .map(l -> l.substring(l.indexOf("] ") + 2, l.indexOf(": not reading"))).distinct().count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
