package dev.herd.server;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.server.config.ConfigException;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.TopologyFile;
import dev.herd.testing.FreePorts;
import dev.herd.testing.LineClient;
import dev.herd.testing.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A live herd grows from five servers to seven and shrinks back while clients keep writing: links to
 * added peers open and catch the new servers up, links to removed peers close, no IAMAT is refused and
 * every server ends with every client's newest record.
 */
@Timeout(120)
class TopologyReloadTest {
    private static final List<String> FIVE = List.of("A", "B", "C", "D", "E");
    private static final Duration CONVERGE = Duration.ofSeconds(30);

    private final Map<String, HerdServer> servers = new LinkedHashMap<>();
    private final Map<String, Integer> clientPorts = new LinkedHashMap<>();
    private final Map<String, Integer> peerPorts = new LinkedHashMap<>();
    /** Each client's newest time sent and acknowledged. */
    private final Map<String, String> newest = new ConcurrentHashMap<>();
    private final List<String> refused = new ArrayList<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
    private final List<LineClient> loadClients = new CopyOnWriteArrayList<>();
    @TempDir
    Path logs;

    @AfterEach
    void stop() {
        load.shutdownNow();
        loadClients.forEach(LineClient::close);
        servers.values().forEach(HerdServer::close);
    }

    @Test
    void aHerdGrowsFromFiveToSevenAndBackUnderLoadLosingNothing() throws Exception {
        ports("A", "B", "C", "D", "E", "F", "G");
        // A ring of five; F joins between A and C, G between F and D.
        String five = topology(Map.of("A", "B E", "B", "A C", "C", "B D", "D", "C E", "E", "D A"));
        String seven = topology(Map.of("A", "B E F", "B", "A C", "C", "B D F", "D", "C E G", "E", "D A",
                "F", "A C G", "G", "F D"));
        for (String name : FIVE) {
            start(name, five);
        }
        // Records written only before the herd grows: the new servers can have them only by catch-up.
        try (LineClient a = client("A")) {
            for (int i = 0; i < 20; i++) {
                String time = time();
                assertThat(a.iamat("early-" + i, "+34.068930-118.445127", time)).startsWith("AT A ");
                newest.put("early-" + i, time);
            }
        }
        ScheduledFuture<?> writing = startLoad("A", "D");
        Wait.until("100 updates under load", CONVERGE, () -> sent.get() >= 100);

        start("F", seven);
        start("G", seven);
        for (String name : FIVE) {
            String line = servers.get(name).reload(config(name, seven));
            assertThat(line).startsWith(name + ": topology reloaded; peers ");
        }
        assertThat(servers.get("A").peerLinks()).containsOnlyKeys("B", "E", "F");
        int before = sent.get();
        Wait.until("100 more updates with seven servers", CONVERGE, () -> sent.get() >= before + 100);
        stopLoad(writing);
        awaitConverged(List.of("A", "B", "C", "D", "E", "F", "G"));

        writing = startLoad("B", "F");
        Wait.until("updates at F", CONVERGE, () -> sent.get() >= before + 200);
        stopLoad(writing);
        writing = startLoad("A", "D");
        for (String name : FIVE) {
            String line = servers.get(name).reload(config(name, five));
            if (List.of("A", "C", "D").contains(name)) {
                assertThat(line).contains("closed");
            }
        }
        servers.remove("F").close();
        servers.remove("G").close();
        assertThat(servers.get("A").peerLinks()).containsOnlyKeys("B", "E");
        int shrunk = sent.get();
        Wait.until("100 more updates with five servers", CONVERGE, () -> sent.get() >= shrunk + 100);
        stopLoad(writing);
        awaitConverged(FIVE);
        synchronized (refused) {
            assertThat(refused).isEmpty();
        }
    }

    @Test
    void aConfigThatCannotApplyIsRefusedAndTheServerKeepsItsLinks() throws Exception {
        ports("A", "B");
        String two = topology(Map.of("A", "B", "B", "A"));
        start("A", two);
        start("B", two);
        assertThatThrownBy(() -> servers.get("A").reload(config("B", two))).isInstanceOf(ConfigException.class)
                .hasMessage("the reloaded config is for B, not A");
        clientPorts.put("A", FreePorts.distinct(1)[0]);
        assertThatThrownBy(() -> servers.get("A").reload(config("A", topology(Map.of("A", "B", "B", "A")))))
                .hasMessageContaining("A's own host or ports changed");
        assertThat(servers.get("A").peerLinks()).containsOnlyKeys("B");
    }

    private void start(String name, String topology) throws Exception {
        HerdServer server = new HerdServer(config(name, topology));
        servers.put(name, server);
        server.start();
    }

    private HerdConfig config(String name, String topology) throws ConfigException {
        return HerdConfig.builder(TopologyFile.parse(topology), name).logDir(logs).ioThreads(1).build();
    }

    private String topology(Map<String, String> peers) {
        StringBuilder json = new StringBuilder("{\"servers\": {");
        String sep = "";
        for (Map.Entry<String, String> server : new TreeMap<>(peers).entrySet()) {
            json.append(sep).append('"').append(server.getKey()).append("\": {\"host\": \"127.0.0.1\", \"port\": ")
                    .append(clientPorts.get(server.getKey())).append(", \"peer_port\": ").append(peerPorts.get(server.getKey()))
                    .append(", \"admin_port\": \"off\", \"peers\": [");
            String peerSep = "";
            for (String peer : server.getValue().split(" ")) {
                json.append(peerSep).append('"').append(peer).append('"');
                peerSep = ", ";
            }
            json.append("]}");
            sep = ", ";
        }
        return json.append("}}").toString();
    }

    /** Writes an IAMAT every 2 ms, to each of {@code at} in turn, for 30 clients; counts what is sent. */
    private ScheduledFuture<?> startLoad(String... at) {
        Map<String, LineClient> clients = new LinkedHashMap<>();
        return load.scheduleAtFixedRate(() -> {
            int n = sent.get();
            String server = at[n % at.length];
            String id = "steady-" + n % 30;
            String time = time();
            String reply;
            try {
                reply = clients.computeIfAbsent(server, s -> {
                    LineClient c = client(s);
                    loadClients.add(c);
                    return c;
                }).iamat(id, "+34.068930-118.445127", time);
            } catch (RuntimeException e) {
                reply = e.toString();
            }
            if (reply.startsWith("AT " + server + " ")) {
                newest.put(id, time);
            } else {
                synchronized (refused) {
                    refused.add(server + ": " + reply);
                }
            }
            sent.incrementAndGet();
        }, 0, 2, TimeUnit.MILLISECONDS);
    }

    private void stopLoad(ScheduledFuture<?> writing) throws Exception {
        writing.cancel(false);
        // The last IAMAT in flight ends before the check: the next task runs after it on the same thread.
        load.submit(() -> { }).get(5, TimeUnit.SECONDS);
    }

    private void awaitConverged(List<String> names) {
        Wait.until("every server holding every client's newest record", CONVERGE, () -> names.stream().allMatch(name ->
                newest.entrySet().stream().allMatch(e -> holds(name, e.getKey(), e.getValue()))), () -> lacking(names));
    }

    private boolean holds(String server, String client, String time) {
        At record = servers.get(server).store().get(Bytes.utf8(client));
        return record != null && record.canonicalLine().toString().endsWith(" " + time);
    }

    private String lacking(List<String> names) {
        StringBuilder out = new StringBuilder();
        for (String name : names) {
            long missing = newest.entrySet().stream().filter(e -> !holds(name, e.getKey(), e.getValue())).count();
            out.append(name).append(" lacks ").append(missing).append("; ");
        }
        return out.toString();
    }

    private LineClient client(String server) {
        return LineClient.connect(new InetSocketAddress("127.0.0.1", clientPorts.get(server)));
    }

    private static final AtomicInteger TICK = new AtomicInteger();

    /** A client time later than every one before it in this test. */
    private static String time() {
        return (System.currentTimeMillis() / 1000) + "." + String.format("%09d", TICK.incrementAndGet());
    }

    private void ports(String... names) {
        int[] ports = FreePorts.distinct(2 * names.length);
        for (int i = 0; i < names.length; i++) {
            clientPorts.put(names[i], ports[2 * i]);
            peerPorts.put(names[i], ports[2 * i + 1]);
        }
    }
}
