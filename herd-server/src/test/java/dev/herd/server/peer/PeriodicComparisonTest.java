package dev.herd.server.peer;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.protocol.MessageParser;
import dev.herd.server.HerdServer;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import dev.herd.testing.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two linked servers whose stores differ without any fault a link could see (a record reached one
 * store and was never flooded): the periodic comparison finds it and both end up holding everything.
 */
@Timeout(60)
class PeriodicComparisonTest {

    @Test
    void recordsThatWereNeverFloodedReachThePeerByThePeriodicComparison(@TempDir Path dir) throws Exception {
        Topology topology = Topology.of(List.of(new ServerSpec("A", "127.0.0.1", 0, List.of("B")),
                new ServerSpec("B", "127.0.0.1", 0, List.of("A"))));
        Map<String, InetSocketAddress> peerPorts = new ConcurrentHashMap<>();
        try (HerdServer a = new HerdServer(config(topology, "A", dir), peerPorts::get);
             HerdServer b = new HerdServer(config(topology, "B", dir), peerPorts::get)) {
            a.start();
            peerPorts.put("A", a.peerAddress());
            b.start();
            peerPorts.put("B", b.peerAddress());
            await(() -> a.peerLinks().get("B") && b.peerLinks().get("A"), "both links up");
            // Past the comparisons of the links' opening (both found the stores equal): only the periodic
            // one can find what follows.
            for (HerdServer s : List.of(a, b)) {
                Wait.until(s.name() + "'s link to find the stores equal on opening", Duration.ofSeconds(10),
                        () -> log(s).contains("records match this server's; nothing to compare"));
            }
            a.store().offer(at("A", "only-on-a", 1));
            b.store().offer(at("B", "only-on-b", 2));
            a.store().offer(at("A", "newer-on-a", 20));
            b.store().offer(at("B", "newer-on-a", 10));
            long start = System.nanoTime();
            await(() -> a.store().digest().sameRecordsAs(b.store().digest()), "the stores agree");
            System.out.println("stores agreed " + (System.nanoTime() - start) / 1_000_000 + " ms after they parted");
            assertThat(b.store().get(Bytes.utf8("only-on-a"))).isNotNull();
            assertThat(a.store().get(Bytes.utf8("only-on-b"))).isNotNull();
            assertThat(b.store().get(Bytes.utf8("newer-on-a")).server()).isEqualTo("A");
        }
    }

    private static HerdConfig config(Topology topology, String name, Path dir) throws Exception {
        return HerdConfig.builder(topology, name).ioThreads(1).adminPort(ServerSpec.ADMIN_OFF)
                .logDir(Path.of(System.getProperty("herd.logDir", "target/herd-logs"), "periodic")).build();
    }

    private static At at(String server, String id, long time) {
        return (At) MessageParser.parse("AT " + server + " +0.000000001 " + id + " +34-118 " + time);
    }

    private static void await(BooleanSupplier condition, String what) {
        Wait.until(what, Duration.ofSeconds(30), condition);
    }

    private static String log(HerdServer server) {
        try {
            Path file = server.config().logFile();
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
