package dev.herd.server.admin;

import dev.herd.server.HerdServer;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A thousand idle sockets on the admin port cannot keep a health check out. */
@Timeout(60)
class AdminUnderIdleSocketsTest {
    @Test
    void healthIsAnsweredWithAThousandIdleSocketsOpen() throws Exception {
        Topology solo = Topology.of(List.of(new ServerSpec("Solo", "127.0.0.1", 0, List.of())));
        HerdConfig config = HerdConfig.builder(solo, "Solo").ioThreads(1)
                .logDir(Path.of(System.getProperty("herd.logDir", "target/herd-logs"), "admin-idle")).build();
        List<Socket> idle = new ArrayList<>();
        try (HerdServer server = new HerdServer(config)) {
            server.start();
            InetSocketAddress admin = server.adminAddress().orElseThrow();
            for (int i = 0; i < 1000; i++) {
                Socket s = new Socket();
                s.connect(admin, 2000);
                idle.add(s);
            }
            for (int attempt = 0; attempt < 3; attempt++) {
                long start = System.nanoTime();
                try (Socket health = new Socket()) {
                    health.connect(admin, 2000);
                    health.setSoTimeout(5000);
                    health.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    String answer = new String(readAll(health.getInputStream()), StandardCharsets.US_ASCII);
                    assertThat(answer).startsWith("HTTP/1.1 200").contains("\"status\":\"serving\"");
                }
                System.out.printf("/health with 1000 idle admin sockets: %.1f ms%n", (System.nanoTime() - start) / 1e6);
            }
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
