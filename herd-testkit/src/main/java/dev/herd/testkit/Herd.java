package dev.herd.testkit;

import dev.herd.server.BindFailedException;
import dev.herd.server.HerdServer;
import dev.herd.server.config.LinesLog;
import dev.herd.server.config.LogSettings;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import dev.herd.testing.LineClient;
import dev.herd.testing.Wait;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A whole herd in this JVM, running the real server code on ephemeral loopback ports: start it,
 * talk to any server with {@link #client(String)}, {@link #kill(String)} and {@link #restart(String)}
 * servers, {@link #cut}, {@link #delay} or {@link #drop} the links between them, and close it when the
 * test ends. Every peer link runs through a small relay of the kit's, which is how links fail on
 * demand without root or network namespaces.
 *
 * <pre>{@code
 * try (Herd herd = Herd.builder().start()) {
 *     herd.client("Hill").iamat("kiwi", "+34.068930-118.445127", "1621464827.959498503");
 *     herd.awaitConverged("kiwi", Duration.ofSeconds(2));
 * }
 * }</pre>
 */
public final class Herd implements AutoCloseable {
    private static final AtomicInteger HERDS = new AtomicInteger();

    private final Topology topology;
    private final HerdBuilder options;
    private final Path logDir;
    private final HerdPorts ports = new HerdPorts();
    private final Map<String, HerdServer> running = new ConcurrentHashMap<>();
    private final Queue<LineClient> clients = new ConcurrentLinkedQueue<>();
    private final HerdLinks links;
    private final HerdRecords records;

    Herd(HerdBuilder options) {
        this.options = options;
        this.topology = options.topology();
        this.links = new HerdLinks(topology, ports::peerAddress);
        this.records = new HerdRecords(topology, running, links);
        this.logDir = options.logDir().resolve("herd-" + ProcessHandle.current().pid() + "-" + HERDS.incrementAndGet());
    }

    /** Options for a herd: the default five servers, no Places source, logs under {@code target/herd-logs}. */
    public static HerdBuilder builder() {
        return new HerdBuilder();
    }

    Herd startAll() {
        try {
            List<HerdServer> started = new ArrayList<>();
            for (ServerSpec spec : topology.servers()) {
                HerdServer server = newServer(spec.name(), 0, 0, 0);
                server.bind();
                ports.bound(spec.name(), server);
                running.put(spec.name(), server);
                started.add(server);
            }
            // Every port is known before any server accepts or links, so no link waits on a retry.
            for (HerdServer server : started) {
                server.serve();
            }
            for (HerdServer server : started) {
                server.connectPeers();
            }
            return this;
        } catch (RuntimeException | BindFailedException e) {
            close();
            throw new IllegalStateException("cannot start the herd: " + e.getMessage(), e);
        }
    }

    private HerdServer newServer(String name, int port, int peerPort, int adminPort) {
        return options.newServer(topology.withPort(name, port).withPeerPort(name, peerPort).withAdminPort(name, adminPort),
                name, logDir, peer -> links.address(name, peer), ports::adminAddress);
    }

    /**
     * The admin HTTP endpoint of {@code server}: {@code /metrics}, {@code /health}, {@code /status} and
     * the status page at the root. It keeps its port across a restart.
     */
    public URI adminUri(String server) {
        InetSocketAddress admin = Objects.requireNonNull(ports.adminAddress(known(server)), server);
        return URI.create("http://" + HerdPorts.LOOPBACK + ":" + admin.getPort() + "/");
    }

    /** The servers' names, in topology order. */
    public Set<String> names() {
        return topology.names();
    }

    /** Where {@code server} listens (also while it is killed: a restart takes the same port). */
    public InetSocketAddress address(String server) {
        return Objects.requireNonNull(ports.clientAddress(known(server)), server);
    }

    /**
     * Where {@code server} takes its peers' links: its peer port, apart from the client port. For tests
     * that speak as a peer would (also while it is killed: a restart takes the same port).
     */
    public InetSocketAddress peerAddress(String server) {
        return Objects.requireNonNull(ports.peerAddress(known(server)), server);
    }

    /** A new connection to {@code server}, closed with the herd. */
    public LineClient client(String server) {
        LineClient client = LineClient.connect(address(server));
        clients.add(client);
        return client;
    }

    /** Stops {@code server} as a crash would look to its peers and clients: its connections close. */
    public void kill(String server) {
        HerdServer s = running.remove(known(server));
        if (s != null) {
            s.close();
        }
    }

    /** Starts a killed server again on its old port, with an empty store (or, given a data dir, what its journal holds). */
    public void restart(String server) {
        if (running.containsKey(known(server))) {
            throw new IllegalStateException(server + " is running; kill it first");
        }
        HerdServer s = newServer(server, ports.client(server), ports.peer(server), ports.admin(server));
        try {
            s.start();
        } catch (BindFailedException e) {
            throw new IllegalStateException("cannot restart " + server + ": " + e.getMessage(), e);
        }
        running.put(server, s);
    }

    public boolean isRunning(String server) {
        return running.containsKey(known(server));
    }

    /** The AT line {@code server} holds for {@code clientId}, if any. */
    public Optional<String> record(String server, String clientId) {
        return records.record(known(server), clientId);
    }

    /** Waits until every running server holds the same record for {@code clientId}; returns its AT line. */
    public String awaitConverged(String clientId, Duration timeout) {
        Wait.until("every running server to hold the same record for " + clientId, timeout, () -> records.converged(clientId),
                () -> records.holdings(clientId));
        return record(running.keySet().iterator().next(), clientId).orElseThrow();
    }

    /** Waits until {@code server} holds exactly {@code atLine} for {@code clientId}; a timeout says what each server holds. */
    public void awaitRecord(String server, String clientId, String atLine, Duration timeout) {
        Wait.until(server + " to hold " + atLine, timeout, () -> record(server, clientId).filter(atLine::equals).isPresent(),
                () -> records.holdings(clientId));
    }

    /** Waits until every link between running servers is open, both ways, except links that are cut. */
    public void awaitLinksUp(Duration timeout) {
        Wait.until("all peer links between running servers to be up", timeout, () -> links.allUp(running),
                () -> "links down: " + links.down(running));
    }

    /**
     * Cuts the link between two peers, both ways: their connections end and new ones are refused until
     * {@link #heal}. The herd routes around it where the topology allows.
     */
    public void cut(String a, String b) {
        links.cut(known(a), known(b));
    }

    /** Restores a link: connections are accepted again, with no delay and no loss. */
    public void heal(String a, String b) {
        links.heal(known(a), known(b));
    }

    /** Delays everything on the link between two peers, both ways, by {@code delay}. */
    public void delay(String a, String b, Duration delay) {
        links.delay(known(a), known(b), delay);
    }

    /**
     * Drops a fraction (0 to 1) of the updates (AT lines) on the link between two peers, both ways, at
     * random. Everything else passes: greetings, probes and store comparisons.
     */
    public void drop(String a, String b, double fraction) {
        links.drop(known(a), known(b), fraction);
    }

    /**
     * Makes the link between two peers a dead path, both ways: connections stay open but every line
     * after the greeting is dropped, as over a cut cable TCP does not notice. {@link #heal} ends it.
     */
    public void silence(String a, String b) {
        links.silence(known(a), known(b));
    }

    /** Whether each link of {@code server} is open now, by peer. */
    public Map<String, Boolean> links(String server) {
        HerdServer s = running.get(known(server));
        return s == null ? Map.of() : new LinkedHashMap<>(s.peerLinks());
    }

    /** The event log of {@code server}: links, Places, lifecycle. */
    public Path logFile(String server) {
        return new LogSettings(logDir, LinesLog.DEFAULT).eventFile(known(server));
    }

    /** The protocol log of {@code server}: every line it received and sent. */
    public Path linesLogFile(String server) {
        return new LogSettings(logDir, LinesLog.DEFAULT).linesFile(known(server));
    }

    /** The text of {@code server}'s event log so far. */
    public String log(String server) {
        return LogFiles.read(logFile(server));
    }

    /** The text of {@code server}'s protocol log so far (written within some 10 ms of each line). */
    public String linesLog(String server) {
        return LogFiles.read(linesLogFile(server));
    }

    private String known(String server) {
        return topology.requireName(server);
    }

    /** Closes every client it handed out and stops every server. */
    @Override
    public void close() {
        for (LineClient client; (client = clients.poll()) != null; ) {
            client.close();
        }
        new ArrayList<>(running.keySet()).forEach(this::kill);
        links.close();
    }
}
