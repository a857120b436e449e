package dev.herd.server;

import dev.herd.server.config.ConfigException;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.LinesLog;
import dev.herd.server.internal.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MainTest {

    @Test
    void readsEveryOption() throws Exception {
        HerdConfig c = ServerOptions.parse(new String[] {"Smith", "--places-url", "https://example.test/nearby?x=1",
            "--places-timeout", "2500", "--max-line-length", "1000", "--log-dir", "/tmp/herd-logs",
            "--io-threads", "3", "--transport", "nio"}, "secret-key");
        assertThat(c.name()).isEqualTo("Smith");
        assertThat(c.self().port()).isEqualTo(12207);
        assertThat(Optional.ofNullable(c.places().url())).contains(URI.create("https://example.test/nearby?x=1"));
        assertThat(Optional.ofNullable(c.places().key())).contains("secret-key");
        assertThat(c.places().timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(c.limits().maxLineLength()).isEqualTo(1000);
        assertThat(c.logFile()).isEqualTo(Path.of("/tmp/herd-logs/Smith.log"));
        assertThat(c.ioThreads()).isEqualTo(3);
        assertThat(c.toString()).doesNotContain("secret-key").contains("placesKey=set");
    }

    @Test
    void theAdminPortCanBeMovedOrTurnedOff() throws Exception {
        assertThat(ServerOptions.parse(new String[] {"Hill"}, null).self().adminPort()).isEqualTo(13205);
        assertThat(ServerOptions.parse(new String[] {"Hill", "--admin-port", "9100"}, null).self().adminPort()).isEqualTo(9100);
        assertThat(ServerOptions.parse(new String[] {"Hill", "--admin-port", "off"}, null).self().hasAdmin()).isFalse();
        assertThat(ServerOptions.parse(new String[] {"Hill", "--admin-port", "off"}, null).toString()).contains("adminPort=off");
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"Hill", "--admin-port", "0"}, null))
                .isInstanceOf(ConfigException.class).hasMessage("admin-port: 0 (expected: 1-65535, or off)");
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"Hill", "--admin-port", "on"}, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--admin-port: on");
    }

    @Test
    void defaultsAreTheDocumentedOnes() throws Exception {
        HerdConfig c = ServerOptions.parse(new String[] {"Hill"}, null);
        assertThat(Optional.ofNullable(c.places().url())).isEmpty();
        assertThat(Optional.ofNullable(c.places().key())).isEmpty();
        assertThat(c.places().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.limits().maxLineLength()).isEqualTo(65536);
        assertThat(c.logFile()).isEqualTo(Path.of("logs/Hill.log"));
        assertThat(c.linesLogFile()).isEqualTo(Path.of("logs/Hill.lines.log"));
        assertThat(c.logs().lines()).isEqualTo(new LinesLog(64L << 20, 8));
        assertThat(c.transport()).isEqualTo(Transport.NIO);
    }

    @Test
    void theProtocolLogsRotationIsSetOnTheCommandLineOrInTheConfig(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertThat(ServerOptions.parse(new String[] {"Hill", "--lines-log-size", "16m", "--lines-log-files", "3"}, null).logs().lines())
                .isEqualTo(new LinesLog(16L << 20, 3));
        Path config = dir.resolve("herd.json");
        Files.writeString(config, "{\"servers\": {\"A\": {\"port\": 12000, \"peers\": []}},"
                + " \"lines_log\": {\"file_size\": \"1g\", \"files\": 2}}");
        assertThat(ServerOptions.parse(new String[] {"A", "--config", config.toString()}, null).logs().lines())
                .isEqualTo(new LinesLog(1L << 30, 2));
        assertThat(ServerOptions.parse(new String[] {"A", "--config", config.toString(), "--lines-log-files", "5"}, null).logs().lines())
                .as("the command line wins").isEqualTo(new LinesLog(1L << 30, 5));
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"Hill", "--lines-log-files", "0"}, null))
                .isInstanceOf(ConfigException.class).hasMessage("lines-log-files: 0 (expected: 1 to 1000)");
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"Hill", "--lines-log-size", "1k"}, null))
                .isInstanceOf(ConfigException.class).hasMessage("lines-log-size: 1024 (expected: 4k or more)");
        Files.writeString(config, "{\"servers\": {\"A\": {\"port\": 12000, \"peers\": []}},"
                + " \"lines_log\": {\"size\": 5}}");
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"A", "--config", config.toString()}, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("lines_log: unknown key \"size\" (expected: file_size, files)");
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "'' | missing server NAME",
        "Nobody | server Nobody: unknown (expected one of: Hill, Jaquez, Smith, Campbell, Singleton)",
        "Hill Smith | one server name expected",
        "Hill --bogus | unknown option --bogus",
        "Hill --config | --config: missing value",
        "Hill --places-timeout soon | --places-timeout: soon (expected: a whole number",
        "Hill --places-timeout 0 | places-timeout: 0 ms (expected: more than 0)",
        "Hill --places-url ftp://x/y | places-url: ftp://x/y (expected: an http:// or https:// URL",
        "Hill --max-line-length 10 | max-line-length: 10 (expected: 64-16777216 bytes)",
        "Hill --transport carrier-pigeon | --transport: carrier-pigeon (expected: nio or epoll",
        "Hill --config /nonexistent/herd.json | config /nonexistent/herd.json: no such file",
    })
    void refusesBadArgumentsWithAClearMessage(String args, String message) {
        String[] argv = args.isEmpty() ? new String[0] : args.split(" ");
        assertThatThrownBy(() -> ServerOptions.parse(argv, null)).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @Test
    void theHerdSecretComesFromTheEnvironmentOrTheConfigsSecretFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        assertThat(ServerOptions.parse(new String[] {"Hill"}, null, "from-env-0123456789").secret()).isPresent();
        assertThat(ServerOptions.parse(new String[] {"Hill"}, null, null).secret()).isEmpty();

        Files.writeString(dir.resolve("secret.txt"), "from-file-0123456789\n");
        Files.setPosixFilePermissions(dir.resolve("secret.txt"),
                PosixFilePermissions.fromString("rw-------"));
        Path config = dir.resolve("herd.json");
        Files.writeString(config, "{\"secret_file\": \"secret.txt\", \"servers\": {\"A\": {\"port\": 1000, \"peers\": []}}}");
        HerdConfig c = ServerOptions.parse(new String[] {"A", "--config", config.toString()}, null, null);
        assertThat(c.secret()).isPresent();
        assertThat(c.toString()).contains("herdSecret=set").doesNotContain("from-file");

        Files.writeString(dir.resolve("secret.txt"), "  \n");
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"A", "--config", config.toString()}, null, null))
                .hasMessageContaining("empty");
    }

    @Test
    void aSecretOthersCanReadOrThatIsTooShortIsRefused(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "long-enough-0123456789\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        Path config = dir.resolve("herd.json");
        Files.writeString(config, "{\"secret_file\": \"secret.txt\", \"servers\": {\"A\": {\"port\": 1000, \"peers\": []}}}");
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"A", "--config", config.toString()}, null, null))
                .hasMessageContaining("readable by group or others").hasMessageContaining("chmod 600");
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"Hill"}, null, "ab"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("HERD_SECRET: the herd secret has 2 bytes");
    }

    @Test
    void aPeerPortBeyondLoopbackNeedsASecret(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path config = dir.resolve("herd.json");
        Files.writeString(config, "{\"servers\": {\"A\": {\"host\": \"0.0.0.0\", \"advertise\": \"10.0.0.7\", \"port\": 1000, \"peers\": []}}}");
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"A", "--config", config.toString()}, null, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("without a herd secret");
        assertThat(ServerOptions.parse(new String[] {"A", "--config", config.toString()}, null, "a-secret-of-enough-bytes").secret())
                .isPresent();
        assertThat(ServerOptions.parse(new String[] {"Hill"}, null, null).secret()).isEmpty(); // loopback: fine without
    }

    @Test
    void ioThreadsZeroIsRefused() {
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"Hill", "--io-threads", "0"}, null))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--io-threads: 0");
    }

    @Test
    void helpIsAnAnswerNotAnError() {
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--help"}, null)).isInstanceOf(ServerOptions.HelpRequested.class);
        assertThat(ServerOptions.usage()).contains("--config FILE", "--places-url URL", "--log-dir DIR", "PLACES_API_KEY", "Exit codes");
    }

    @Test
    void versionSaysWhichBuildThisIs() {
        assertThatThrownBy(() -> ServerOptions.parse(new String[] {"Hill", "--version"}, null))
                .isInstanceOfSatisfying(ServerOptions.HelpRequested.class, e -> assertThat(e.text())
                        // The version Maven filtered into herd-build.properties, never the unfiltered placeholder.
                        .matches("herd-server \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Java .+\\)\n"));
    }
}
