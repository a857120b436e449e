package dev.herd.server.cli;

import dev.herd.server.HerdServer;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What ./herd status and ./herd up read through HerdTool, against a running server. */
@Timeout(30)
class HerdToolTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return HerdTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void statusPrintsATableOfEveryServerAndSaysWhenOneIsDown(@TempDir Path dir) throws Exception {
        Topology solo = Topology.of(List.of(new ServerSpec("Solo", "127.0.0.1", 0, List.of())));
        HerdServer server = new HerdServer(HerdConfig.builder(solo, "Solo").ioThreads(1)
                .logDir(Path.of(System.getProperty("herd.logDir", "target/herd-logs"), "tool")).build());
        Path config = dir.resolve("herd.json");
        try (server) {
            InetSocketAddress bound = server.start();
            int admin = server.adminAddress().orElseThrow().getPort();
            // A second server that is not running: its row says so.
            Files.writeString(config, "{\"servers\": {\"Solo\": {\"port\": " + bound.getPort() + ", \"admin_port\": " + admin
                    + ", \"peers\": [\"Gone\"]}, \"Gone\": {\"port\": 1, \"admin_port\": \"off\", \"peers\": [\"Solo\"]}}}");

            assertThat(run("servers", "--config", config.toString())).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Solo\nGone\n");
            assertThat(run("addresses", "--config", config.toString())).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("Solo 127.0.0.1 " + bound.getPort() + "\nGone 127.0.0.1 1\n");

            assertThat(run("status", "--config", config.toString())).isEqualTo(1);
            String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
            assertThat(lines[0]).startsWith("SERVER").contains("STATE", "RECORDS", "LINKS");
            assertThat(lines[1]).startsWith("Solo").contains("serving", "127.0.0.1:" + bound.getPort());
            assertThat(lines[2]).startsWith("Gone").contains("DOWN", "no admin endpoint (admin_port is off)");
        }
        assertThat(run("status", "--config", config.toString())).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("no answer at http://127.0.0.1:");
    }

    @Test
    void aBadConfigIsAnErrorWithItsReason() {
        assertThat(run("status", "--config", "/nonexistent/herd.json")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("herd: config /nonexistent/herd.json: no such file\n");
        assertThat(run("dance")).isEqualTo(2);
    }
}
