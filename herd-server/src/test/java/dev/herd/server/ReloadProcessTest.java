package dev.herd.server;

import dev.herd.testing.FreePorts;
import dev.herd.testing.LineClient;
import dev.herd.testing.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** SIGHUP as operators send it: a running server process reads its config file again. */
@Timeout(90)
class ReloadProcessTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void sighupLinksToAPeerAddedToTheFileAndAFileThatFailsIsRefusedWithOneLine(@TempDir Path dir) throws Exception {
        int[] ports = FreePorts.distinct(4);
        int portA = ports[0];
        int portB = ports[1];
        String a = server("A", portA, ports[2], "%s");
        String b = server("B", portB, ports[3], "\"A\"");
        Path fileA = dir.resolve("a.json");
        Path fileB = dir.resolve("b.json");
        Files.writeString(fileA, "{\"servers\": {" + a.formatted("") + "}}");
        Files.writeString(fileB, "{\"servers\": {" + a.formatted("\"B\"") + ", " + b + "}}");
        Path logs = dir.resolve("logs");
        Process processA = launch(dir, "A", "--config", fileA.toString(), "--log-dir", logs.toString());
        launch(dir, "B", "--config", fileB.toString(), "--log-dir", logs.toString());
        // The line it prints once a SIGHUP reloads (before, one is logged and ignored).
        Wait.until("A's start line", WITHIN, () -> read(dir.resolve("A.out")).contains("A listening on"), () -> read(dir.resolve("A.out")));
        try (LineClient toA = connect(portA); LineClient toB = connect(portB)) {
            assertThat(toA.iamat("before", "+34-118", "1")).startsWith("AT A ");

            Files.writeString(fileA, Files.readString(fileB));
            hangUp(processA);
            Wait.until("A's log saying it reloaded", WITHIN, () -> log(logs, "A").contains("A: topology reloaded; peers [B]; linking to [B]"),
                    () -> log(logs, "A") + "\n--- A's output:\n" + read(dir.resolve("A.out")));
            // Linked now: the record A held before is B's by the comparison, a new one by the flood.
            assertThat(toA.iamat("after", "+34-118", "2")).startsWith("AT A ");
            for (String client : List.of("before", "after")) {
                Wait.until("B to hold " + client, WITHIN, () -> toB.whatsat(client, 10, 1).startsWith("AT A "));
            }

            Files.writeString(fileA, "{\"servers\": ");
            hangUp(processA);
            Wait.until("A's log refusing the broken file", WITHIN,
                    () -> log(logs, "A").contains("reload refused, the running config stays: config "), () -> log(logs, "A"));
            assertThat(toA.iamat("still", "+34-118", "3")).startsWith("AT A ");
            Wait.until("B to hold still", WITHIN, () -> toB.whatsat("still", 10, 1).startsWith("AT A "));
        }
        assertThat(processA.isAlive()).isTrue();
    }

    private static String server(String name, int port, int peerPort, String peers) {
        return "\"" + name + "\": {\"host\": \"127.0.0.1\", \"port\": " + port + ", \"peer_port\": " + peerPort
                + ", \"admin_port\": \"off\", \"peers\": [" + peers + "]}";
    }

    private Process launch(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(args[0] + ".out").toFile()).start();
        processes.add(p);
        return p;
    }

    private static void hangUp(Process p) throws Exception {
        assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor()).isZero();
    }

    private static String log(Path logs, String name) {
        return read(logs.resolve(name + ".log"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static LineClient connect(int port) {
        return Wait.succeeds("port " + port + " to accept", WITHIN, () -> LineClient.connect(new InetSocketAddress("127.0.0.1", port)));
    }

}
