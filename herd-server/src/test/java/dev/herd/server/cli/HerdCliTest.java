package dev.herd.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herd.server.HerdServer;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** ./herd cli against a running server (offline Places): one-shot lines, piped lines, --raw, and its errors. */
@Timeout(30)
class HerdCliTest {
    private static final String KIWI = "IAMAT kiwi +34.068930-118.445127 1621464827.959498503";
    private static HerdServer server;
    private static int port;
    private static Path config;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        Topology solo = Topology.of(List.of(new ServerSpec("Solo", "127.0.0.1", 0, List.of())));
        server = new HerdServer(HerdConfig.builder(solo, "Solo").ioThreads(1).adminPort(ServerSpec.ADMIN_OFF)
                .logDir(Path.of(System.getProperty("herd.logDir", "target/herd-logs"), "cli")).build());
        port = server.start().getPort();
        config = dir.resolve("solo.json");
        Files.writeString(config, "{\"servers\": {\"Solo\": {\"port\": " + port + ", \"admin_port\": \"off\", \"peers\": []}}}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private int run(String input, String... args) {
        out.reset();
        err.reset();
        return HerdCli.run(args, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void oneShotSendsTheWordsAsOneLineAndPrintsTheReply() {
        assertThat(run("", "--config", config.toString(), "Solo", "IAMAT", "kiwi", "+34.068930-118.445127", "1621464827.959498503"))
                .isZero();
        assertThat(out()).matches("AT Solo \\+\\d+\\.\\d{9} kiwi \\+34\\.068930-118\\.445127 1621464827\\.959498503\n");
        // HOST:PORT instead of a name.
        assertThat(run("", "127.0.0.1:" + port, "WHATSAT", "nobody", "10", "2")).isEqualTo(1);
        assertThat(out()).isEqualTo("? WHATSAT nobody 10 2\n");
    }

    @Test
    void whatsatJsonIsReindentedUnlessRaw() throws Exception {
        run("", "--config", config.toString(), "Solo", "IAMAT", "owl", "+34.068930-118.445127", "1621464827.5");
        assertThat(run("", "--config", config.toString(), "Solo", "WHATSAT", "owl", "10", "2")).isZero();
        String[] pretty = out().split("\n", 2);
        assertThat(pretty[0]).startsWith("AT Solo ").endsWith(" owl +34.068930-118.445127 1621464827.5");
        assertThat(pretty[1]).startsWith("{\n  \"html_attributions\" : [").endsWith("}\n");
        JsonNode json = new ObjectMapper().readTree(pretty[1]);
        assertThat(json.path("results").size()).isBetween(1, 2);

        assertThat(run("", "--config", config.toString(), "--raw", "Solo", "WHATSAT", "owl", "10", "2")).isZero();
        String raw = out();
        assertThat(raw).startsWith(pretty[0] + "\n{\n   \"html_attributions\"").endsWith("}\n\n");
        assertThat(new ObjectMapper().readTree(raw.substring(raw.indexOf('\n') + 1))).isEqualTo(json);
    }

    @Test
    void pipedLinesAreAnsweredInTurn() {
        assertThat(run(KIWI + "\nhello there\nquit\nIAMAT never +1+1 1\n", "--config", config.toString(), "Solo")).isZero();
        String[] lines = out().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("AT Solo ").endsWith(" kiwi +34.068930-118.445127 1621464827.959498503");
        assertThat(lines[1]).isEqualTo("? hello there");
    }

    @Test
    void errorsAreOneLineWithAnExitCode() throws Exception {
        assertThat(run("", "--config", config.toString(), "Nobody")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("herd cli: no server Nobody in the topology (servers: Solo; or HOST:PORT)\n");
        assertThat(run("", "--timeout", "soon")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--timeout: soon (expected: milliseconds, 1 or more)");
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThat(run("", "127.0.0.1:" + closed, "IAMAT", "a", "+1+1", "1")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("herd cli: 127.0.0.1:" + closed + ": cannot connect (")
                .endsWith("(is it running? ./herd status shows the herd)\n");
        assertThat(run("", "--version")).isZero();
        assertThat(out()).startsWith("herd cli ").contains("(Java ");
    }
}
