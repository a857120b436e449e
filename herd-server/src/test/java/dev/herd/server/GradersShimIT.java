package dev.herd.server;

import dev.herd.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code tools/graders/server.py}, what the public grading scripts run as {@code server.py NAME}: it
 * makes the client port of NAME (from the herd.json beside it) listen, then becomes the packaged
 * server with that socket on standard input (README, "Grading with the public scripts").
 */
@Timeout(60)
class GradersShimIT {
    @Test
    void theShimListensThenBecomesTheServerOnThatSocket(@TempDir Path dir) throws Exception {
        assumeTrue(System.getProperty("herd.jar") != null, "runs on the packaged jar: mvn verify runs it after package");
        Path shim = Path.of("..", "tools", "graders", "server.py");
        assumeTrue(Files.exists(shim), "tools/graders/server.py is not beside this module");
        int[] ports = FreePorts.distinct(2);
        Files.copy(shim, dir.resolve("server.py"));
        Files.writeString(dir.resolve("herd.json"), "{\"servers\": {\"Solo\": {\"port\": " + ports[0] + ", \"peer_port\": " + ports[1]
                + ", \"admin_port\": \"off\", \"peers\": []}}}");
        ProcessBuilder builder = new ProcessBuilder("python3", dir.resolve("server.py").toString(), "Solo").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile());
        builder.environment().put("HERD_JAR", Path.of(System.getProperty("herd.jar")).toAbsolutePath().toString());
        builder.environment().put("HERD_PLACES_URL", "http://127.0.0.1:9/maps/api/place/nearbysearch/json");
        Process p;
        try {
            p = builder.start();
        } catch (IOException e) {
            assumeTrue(false, "python3 is not installed (.ci/run installs it)");
            return;
        }
        try {
            try (Socket s = MainProcessTest.connectWithin(ports[0], 10_000)) {
                s.setSoTimeout(20_000);
                s.getOutputStream().write("IAMAT kiwi +34-118 1\n".getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("AT Solo +");
            }
        } finally {
            p.destroy();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(dir.resolve("logs").resolve("Solo.log")))
                .contains("taken over from the socket listening on standard input");
    }
}
