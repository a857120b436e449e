package dev.herd.server;

import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

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
                    } catch (java.io.IOException e) {
                        // closed at the end of the test
                    }
                });
            }
            // Until the kernel's socket buffers are full the server has replies to write; then all is quiet.
            TimeUnit.SECONDS.sleep(8);
            long netty = Math.max(0, io.netty.util.internal.PlatformDependent.usedDirectMemory());
            long jdk = java.lang.management.ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class)
                    .stream().filter(p -> p.getName().equals("direct")).mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed).sum();
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
}
