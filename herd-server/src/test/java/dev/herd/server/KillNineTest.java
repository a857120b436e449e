package dev.herd.server;

import dev.herd.testing.FreePorts;
import dev.herd.testing.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** kill -9 every server of a herd with a data dir, start them again: every acknowledged record is back. */
@Timeout(120)
class KillNineTest {
    private static final String[] NAMES = {"Hill", "Jaquez", "Smith", "Campbell", "Singleton"};
    private static final String[][] PEERS = {
        {"Jaquez", "Smith"}, {"Hill", "Singleton"}, {"Hill", "Campbell", "Singleton"}, {"Smith", "Singleton"},
        {"Jaquez", "Smith", "Campbell"}};

    @Test
    void everyAcknowledgedRecordSurvivesKillNineOfTheWholeHerd(@TempDir Path dir) throws Exception {
        // Every port named and free when picked: the defaults (port + 1000, + 2000) may be anyone's.
        int[] ports = FreePorts.distinct(2 * NAMES.length);
        StringBuilder json = new StringBuilder("{\"servers\": {");
        for (int i = 0; i < NAMES.length; i++) {
            json.append(i == 0 ? "" : ", ").append('"').append(NAMES[i]).append("\": {\"host\": \"127.0.0.1\", \"port\": ")
                    .append(ports[i]).append(", \"peer_port\": ").append(ports[NAMES.length + i])
                    .append(", \"admin_port\": \"off\", \"peers\": [\"").append(String.join("\", \"", PEERS[i])).append("\"]}");
        }
        Path config = dir.resolve("herd.json");
        Files.writeString(config, json.append("}}").toString());

        List<Process> herd = startAll(dir, config);
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int at = i % NAMES.length;
            acknowledged.add(request(ports[at], "IAMAT durable" + i + " +34.06-118.44 " + (1000 + i)));
        }
        for (Process p : herd) {
            p.destroyForcibly();
        }
        for (Process p : herd) {
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }

        herd = startAll(dir, config);
        try {
            for (int i = 0; i < 50; i++) {
                String expected = acknowledged.get(i);
                int at = (i + 2) % NAMES.length;
                String reply = request(ports[at], "WHATSAT durable" + i + " 1 1");
                assertThat(reply).as("WHATSAT durable%d at %s", i, NAMES[at]).isEqualTo(expected);
            }
        } finally {
            for (Process p : herd) {
                p.destroy();
                p.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private static List<Process> startAll(Path dir, Path config) throws Exception {
        List<Process> processes = new ArrayList<>();
        for (String name : NAMES) {
            processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), name,
                    "--config", config.toString(), "--data-dir", dir.resolve("data").toString(),
                    "--log-dir", dir.resolve("logs").toString(), "--io-threads", "1")
                    .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile()).start());
        }
        return processes;
    }

    /** Sends one line and returns the first line of the reply, retrying the connection until the server is up. */
    private static String request(int port, String line) {
        return Wait.succeeds("port " + port + " to answer " + line, Duration.ofSeconds(20), () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.setSoTimeout(10_000);
                s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
                return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            }
        });
    }
}
