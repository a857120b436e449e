package dev.herd.server;

import dev.herd.server.internal.Fatal;
import dev.herd.testing.FreePorts;
import dev.herd.testing.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The entry point as users run it: a separate JVM, its exit code, stderr and log. */
@Timeout(60)
class MainProcessTest {

    private static Process launch(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile()).start();
    }

    private static String stderrOf(Process p) throws Exception {
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("process ended").isTrue();
        return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void unknownNameIsOneLineOnStderrAndExitCode2(@TempDir Path dir) throws Exception {
        Process p = launch(dir, "Nobody");
        String err = stderrOf(p);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err).isEqualTo("herd-server: server Nobody: unknown (expected one of: Hill, Jaquez, Smith, Campbell, Singleton)\n");
    }

    @Test
    void badConfigIsOneLineOnStderrAndExitCode2(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("bad.json");
        Files.writeString(config, "{\"servers\": {\"A\": {\"port\": 1, \"peers\": [\"B\"]}}}");
        Process p = launch(dir, "A", "--config", config.toString());
        String err = stderrOf(p);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err).startsWith("herd-server: config ").contains("unknown server B").hasLineCount(1);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"data dir under a file", "journal is a directory",
            "damaged journal", "log dir under a file"})
    void aFailedStartIsOneLineAndExitCode2AndThePortIsFree(String failure, @TempDir Path dir) throws Exception {
        int port = FreePorts.distinct(1)[0];
        Path config = dir.resolve("one.json");
        Files.writeString(config, "{\"servers\": {\"Solo\": {\"host\": \"127.0.0.1\", \"port\": " + port
                + ", \"admin_port\": \"off\", \"peers\": []}}}");
        Path data = dir.resolve("data");
        Path logs = dir.resolve("logs");
        switch (failure) {
            case "data dir under a file" -> {
                Files.writeString(dir.resolve("file"), "x");
                data = dir.resolve("file").resolve("data");
            }
            case "journal is a directory" -> Files.createDirectories(data.resolve("Solo.journal"));
            case "damaged journal" -> {
                Files.createDirectories(data);
                Files.writeString(data.resolve("Solo.journal"), "00000000 AT Solo +0.1 a +1+1 1\n00000000 AT Solo +0.1 b +1+1 2\n");
            }
            default -> {
                Files.writeString(dir.resolve("file"), "x");
                logs = dir.resolve("file").resolve("logs");
            }
        }
        Process p = launch(dir, "Solo", "--config", config.toString(), "--data-dir", data.toString(),
                "--log-dir", logs.toString());
        String err = stderrOf(p);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err).startsWith("herd-server: ").hasLineCount(1).doesNotContain("\tat ");
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).as("the port was released").isEqualTo(port);
        }
    }

    @Test
    void aHostThatIsNotAnAddressSaysSo(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("one.json");
        Files.writeString(config, "{\"servers\": {\"Solo\": {\"host\": \"999.1.1.1\", \"port\": 12999, \"peers\": []}}}");
        Process p = launch(dir, "Solo", "--config", config.toString());
        String err = stderrOf(p);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err).startsWith("herd-server: ").contains("999.1.1.1").doesNotContain("null").hasLineCount(1);
    }

    @Test
    void anOutOfMemoryErrorEndsTheProcessRatherThanLeavingItHalfAlive(@TempDir Path dir) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FatalProbe.class.getName()).directory(dir.toFile()).start();
        String err = stderrOf(p);
        assertThat(p.exitValue()).isEqualTo(Fatal.EXIT_OUT_OF_MEMORY);
        assertThat(err).contains("out of memory");
    }

    @Test
    void portInUseIsOneLineOnStderrAndExitCode2(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path config = dir.resolve("one.json");
            Files.writeString(config, "{\"servers\": {\"Solo\": {\"host\": \"127.0.0.1\", \"port\": "
                    + taken.getLocalPort() + ", \"peers\": []}}}");
            Process p = launch(dir, "Solo", "--config", config.toString());
            String err = stderrOf(p);
            assertThat(p.exitValue()).isEqualTo(2);
            assertThat(err).startsWith("herd-server: cannot listen on 127.0.0.1:" + taken.getLocalPort()).hasLineCount(1);
        }
    }

    @Test
    void helpExitsZero(@TempDir Path dir) throws Exception {
        Process p = launch(dir, "--help");
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("Usage: java -jar herd-server.jar NAME");
    }

    @Test
    void servesAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        int port = FreePorts.distinct(1)[0];
        Path config = dir.resolve("one.json");
        Files.writeString(config, "{\"servers\": {\"Solo\": {\"host\": \"127.0.0.1\", \"port\": " + port + ", \"peers\": []}}}");
        long started = System.nanoTime();
        Process p = launch(dir, "Solo", "--config", config.toString(), "--log-dir", dir.resolve("logs").toString());
        try (Socket s = connectWithin(port, 10_000)) {
            long listeningMillis = (System.nanoTime() - started) / 1_000_000;
            System.out.println("Solo accepted a connection " + listeningMillis + " ms after launch");
            // The log file is there as soon as the port is: made before the server listens.
            assertThat(dir.resolve("logs").resolve("Solo.log")).exists();
            assertThat(dir.resolve("logs").resolve("Solo.lines.log")).exists();
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write("IAMAT kiwi +34-118 1\nWHATSAT kiwi 10 1".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            String reply = new String(readAll(s.getInputStream()), StandardCharsets.UTF_8);
            assertThat(reply).startsWith("AT Solo +").contains(" kiwi +34-118 1\nAT Solo ")
                    .contains("GeoNames", "\"status\" : \"OK\"").endsWith("}\n\n");
        }
        p.destroy();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        String log = Files.readString(dir.resolve("logs").resolve("Solo.log"));
        assertThat(log).contains("Solo listening on", "Solo stopped");
        String lines = Files.readString(dir.resolve("logs").resolve("Solo.lines.log"));
        assertThat(lines).contains("<- IAMAT kiwi +34-118 1 => AT Solo", "<- WHATSAT kiwi 10 1", "-> AT Solo");
    }

    @Test
    void aServerOnEveryAddressSaysWhereItIsReached(@TempDir Path dir) throws Exception {
        int[] ports = FreePorts.distinct(3);
        int port = ports[0];
        int admin = ports[1];
        Path config = dir.resolve("wild.json");
        Files.writeString(config, "{\"servers\": {\"Wild\": {\"host\": \"0.0.0.0\", \"advertise\": \"127.0.0.1\", \"port\": " + port
                + ", \"admin_port\": " + admin + ", \"peer_port\": " + ports[2] + ", \"peers\": []}}}");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "Wild", "--config", config.toString(), "--log-dir", dir.resolve("logs").toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("HERD_SECRET", "a secret of the herd, long enough"); // beyond loopback: required
        Process p = builder.start();
        try (Socket s = connectWithin(port, 10_000);
             BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(s.isConnected()).isTrue();
            assertThat(out.readLine()).startsWith("Wild listening on 0.0.0.0:" + port + " (advertised as 127.0.0.1), peers on ")
                    .contains(", status page http://127.0.0.1:" + admin + "/, log ");
        } finally {
            p.destroy();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(p.exitValue()).isZero();
    }

    /** A connection to {@code port} on loopback, retried until it is accepted or {@code millis} pass. */
    static Socket connectWithin(int port, long millis) {
        return Wait.succeeds("port " + port + " to accept", Duration.ofMillis(millis), () -> {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return s;
            } catch (IOException e) {
                s.close();
                throw e;
            }
        });
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
