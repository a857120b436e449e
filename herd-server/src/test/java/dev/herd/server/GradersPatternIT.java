package dev.herd.server;

import com.sun.net.httpserver.HttpServer;
import dev.herd.testing.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The public grading scripts' pattern, with the runnable jar in real processes: five servers started
 * half a second apart without waiting for them, an IAMAT half a second after the last start and at
 * once a WHATSAT at every other server (a connection each, half-closed, read to the end), a server
 * stopped the way the scripts stop one ({@code lsof -ti:PORT | xargs kill}: SIGTERM to every process
 * with a socket on its client port), and queried again at once after its restart. Places answers come
 * from a loopback stand-in, as in the graders' harness (README, "Grading with the public scripts").
 */
@Timeout(120)
class GradersPatternIT {
    private static final String[] NAMES = {"Hill", "Jaquez", "Smith", "Campbell", "Singleton"};
    private static final String[][] PEERS = {
        {"Jaquez", "Smith"}, {"Hill", "Singleton"}, {"Hill", "Campbell", "Singleton"}, {"Smith", "Singleton"},
        {"Jaquez", "Smith", "Campbell"},
    };
    private static final long START_GAP_MILLIS = 500;
    private static final String UCLA = "+34.068930-118.445127";

    private final Map<String, Process> running = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, Long> startedNanos = new LinkedHashMap<>();
    private static final String PLACES_ANSWER = "{\"html_attributions\": [], \"results\": [{\"name\": \"Westwood\"}],"
            + " \"status\": \"OK\"}";
    private String placesUrl;

    @Test
    void theHerdPassesTheGradersPattern() throws Exception {
        // Kept after the run (the servers' logs and output), for a look when it fails.
        Path dir = Path.of("target", "graders-pattern", Long.toString(System.currentTimeMillis()));
        Files.createDirectories(dir);
        assumeTrue(System.getProperty("herd.jar") != null, "runs on the packaged jar: mvn verify runs it after package");
        assumeTrue(lsofIsInstalled(), "lsof is not installed: the graders stop servers with it (.ci/run installs it)");
        Path config = writeConfig(dir, freeBase());
        // Places as the graders' harness has it: a loopback stand-in for Google, always "OK".
        HttpServer places = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        places.createContext("/", exchange -> {
            byte[] body = PLACES_ANSWER.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        places.start();
        placesUrl = "http://127.0.0.1:" + places.getAddress().getPort() + "/maps/api/place/nearbysearch/json";
        try {
            for (String name : NAMES) {
                long started = System.nanoTime();
                start(name, config, dir);
                asTheGradersPause(started, START_GAP_MILLIS);
            }
            long last = System.nanoTime();
            asTheGradersPause(last, START_GAP_MILLIS);

            String at = iamat("Hill", "client", 1);
            assertThat(at).startsWith("AT Hill +").endsWith(" client " + UCLA + " " + time(1));
            for (String name : NAMES) {
                if (!name.equals("Hill")) {
                    assertThat(whatsat(name, "client")).as("WHATSAT at %s right after the IAMAT at Hill", name)
                            .startsWith(at + "\n{\n").endsWith("}\n\n");
                }
            }

            // Stopped as the scripts stop it: every process with a socket on its client port gets SIGTERM.
            List<Long> killed = killByPort(ports.get("Smith"));
            assertThat(killed).as("processes with a socket on Smith's client port").containsExactly(running.get("Smith").pid());
            assertThat(running.get("Smith").waitFor(1, TimeUnit.SECONDS)).as("Smith ended within 1 s of SIGTERM").isTrue();
            assertThat(running.get("Smith").exitValue()).isZero();
            for (String name : NAMES) {
                if (!name.equals("Smith")) {
                    assertThat(running.get(name).isAlive()).as("%s still runs", name).isTrue();
                }
            }
            // The herd serves on without Smith: a neighbour has the update at once, and it goes round
            // the long way (Hill -> Jaquez -> Singleton -> Campbell, three hops) within moments.
            String around = iamat("Hill", "walker", 2);
            assertThat(whatsat("Jaquez", "walker")).startsWith(around + "\n");
            awaitRecord("Campbell", "walker", around);

            // Back, and queried at once, the way the scripts do after their half-second start wait.
            long restarted = System.nanoTime();
            start("Smith", config, dir);
            asTheGradersPause(restarted, START_GAP_MILLIS);
            String newer = iamat("Campbell", "client", 3);
            assertThat(whatsat("Smith", "client")).as("Smith, half a second after its restart").startsWith(newer + "\n");
            String fromSmith = iamat("Smith", "runner", 4);
            assertThat(whatsat("Jaquez", "runner")).as("an IAMAT at the restarted Smith, two hops on").startsWith(fromSmith + "\n");
        } finally {
            places.stop(0);
            for (Process p : running.values()) {
                p.destroy();
            }
            for (Map.Entry<String, Process> e : running.entrySet()) {
                if (!e.getValue().waitFor(5, TimeUnit.SECONDS)) {
                    e.getValue().destroyForcibly();
                }
            }
        }
    }

    private void start(String name, Path config, Path dir) throws IOException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar(),
                name, "--config", config.toString(), "--log-dir", dir.resolve("logs").toString(), "--places-url", placesUrl)
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile()).start();
        running.put(name, p);
        startedNanos.put(name, System.nanoTime());
    }

    private String iamat(String server, String client, int time) throws IOException {
        return exchange(server, "IAMAT " + client + " " + UCLA + " " + time(time) + "\n").strip();
    }

    private String whatsat(String server, String client) throws IOException {
        return exchange(server, "WHATSAT " + client + " 10 5\n");
    }

    /** One line on a connection of its own, half-closed, and everything the server sends back, as the scripts do. */
    private String exchange(String server, String line) throws IOException {
        try (Socket s = new Socket()) {
            try {
                s.connect(new InetSocketAddress("127.0.0.1", ports.get(server)), 5000);
            } catch (ConnectException e) {
                throw notListeningYet(server);
            }
            s.setSoTimeout(20_000);
            s.getOutputStream().write(line.getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * A refused connection, said with what it needs to be judged: how long after its start the server
     * was asked, and how long it took to listen at all (the graders connect 500 ms after a start).
     */
    private AssertionError notListeningYet(String server) {
        long asked = (System.nanoTime() - startedNanos.get(server)) / 1_000_000;
        long listened = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (listened < 0 && System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", ports.get(server)), 1000);
                listened = (System.nanoTime() - startedNanos.get(server)) / 1_000_000;
            } catch (IOException notYet) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }
        return new AssertionError(server + " refused a connection " + asked + " ms after its start; it listened "
                + (listened < 0 ? "not within 10 s more" : "after " + listened + " ms") + " (machine load "
                + ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() + ")");
    }

    /** Asks {@code server} until it answers with {@code record} (5 s at most). */
    private void awaitRecord(String server, String client, String record) {
        Wait.succeeds(server + "'s answer with " + record, Duration.ofSeconds(5), () -> {
            assertThat(whatsat(server, client)).startsWith(record + "\n");
            return null;
        });
    }

    /** {@code lsof -ti:PORT | xargs kill}: the pids lsof lists, each sent SIGTERM. */
    private static List<Long> killByPort(int port) throws Exception {
        Process lsof = new ProcessBuilder("lsof", "-ti:" + port).redirectErrorStream(true).start();
        assertThat(lsof.waitFor(10, TimeUnit.SECONDS)).isTrue();
        List<Long> pids = new ArrayList<>();
        for (String pid : new String(lsof.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).split("\\s+")) {
            if (!pid.isBlank()) {
                pids.add(Long.parseLong(pid.strip()));
            }
        }
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
        return pids;
    }

    private Path writeConfig(Path dir, int base) throws IOException {
        StringBuilder json = new StringBuilder("{\"servers\": {");
        for (int i = 0; i < NAMES.length; i++) {
            ports.put(NAMES[i], base + i);
            json.append(i == 0 ? "" : ", ").append('"').append(NAMES[i]).append("\": {\"port\": ").append(base + i)
                    .append(", \"peers\": [\"").append(String.join("\", \"", PEERS[i])).append("\"]}");
        }
        Path config = dir.resolve("herd.json");
        Files.writeString(config, json.append("}}").toString());
        return config;
    }

    /** A first port such that it and the next four, each + 1000 (admin) and + 2000 (peers), are free. */
    private static int freeBase() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 20_000 + ThreadLocalRandom.current().nextInt(10_000);
            if (allFree(base)) {
                return base;
            }
        }
        throw new IOException("no free run of ports found");
    }

    private static boolean allFree(int base) {
        for (int offset : new int[] {0, 1000, 2000}) {
            for (int i = 0; i < NAMES.length; i++) {
                try (ServerSocket probe = new ServerSocket(base + offset + i, 1, InetAddress.getLoopbackAddress())) {
                    probe.setReuseAddress(true);
                } catch (IOException taken) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean lsofIsInstalled() {
        try {
            Process p = new ProcessBuilder("lsof", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String jar() {
        String jar = System.getProperty("herd.jar");
        assertThat(jar).as("system property herd.jar (set by the pom)").isNotNull();
        assertThat(Path.of(jar)).exists();
        return jar;
    }

    /** POSIX seconds of now, plus a step, so every IAMAT of the test is newer than the last. */
    private static final long NOW = System.currentTimeMillis() / 1000;

    private static String time(int step) {
        return NOW + "." + step;
    }

    /**
     * The graders' fixed pause after starting a server: the timing under test (a server must serve
     * this soon after its start), not a wait for a condition.
     */
    private static void asTheGradersPause(long startedNanos, long millis) throws InterruptedException {
        long left = millis - (System.nanoTime() - startedNanos) / 1_000_000;
        if (left > 0) {
            TimeUnit.MILLISECONDS.sleep(left);
        }
    }
}
