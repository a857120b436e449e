package dev.herd.testkit;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.server.BindFailedException;
import dev.herd.server.HerdServer;
import dev.herd.server.config.ConfigException;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.HerdConfigBuilder;
import dev.herd.server.config.HerdSecret;
import dev.herd.server.config.PlacesApi;
import dev.herd.server.config.PlacesSettings;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import dev.herd.server.config.TopologyFile;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
    private static final String LOOPBACK = "127.0.0.1";
    private static final AtomicInteger HERDS = new AtomicInteger();

    private final Topology topology;
    private final Builder options;
    private final Path logDir;
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();
    private final Map<String, Integer> peerPorts = new ConcurrentHashMap<>();
    private final Map<String, Integer> adminPorts = new ConcurrentHashMap<>();
    private final Map<String, HerdServer> running = new ConcurrentHashMap<>();
    private final List<LineClient> clients = new ArrayList<>();
    /** One relay per directed peer link, keyed "From->To". */
    private final Map<String, LinkProxy> proxies = new ConcurrentHashMap<>();
    private final EventLoopGroup proxyLoop = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("herd-link-proxies", true), NioIoHandler.newFactory());

    private Herd(Builder options) {
        this.options = options;
        this.topology = options.topology;
        this.logDir = options.logDir.resolve("herd-" + ProcessHandle.current().pid() + "-" + HERDS.incrementAndGet());
    }

    /** Options for a herd: the default five servers, no Places source, logs under {@code target/herd-logs}. */
    public static Builder builder() {
        return new Builder();
    }

    private Herd startAll() {
        try {
            for (ServerSpec spec : topology.servers()) {
                for (String peer : spec.peers()) {
                    proxies.put(spec.name() + "->" + peer, new LinkProxy(proxyLoop, () -> peerAddressOf(peer)));
                }
            }
            List<HerdServer> started = new ArrayList<>();
            for (ServerSpec spec : topology.servers()) {
                HerdServer server = newServer(spec.name(), 0, 0, 0);
                InetSocketAddress bound = server.bind();
                ports.put(spec.name(), bound.getPort());
                peerPorts.put(spec.name(), server.peerAddress().getPort());
                server.adminAddress().ifPresent(admin -> adminPorts.put(spec.name(), admin.getPort()));
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
        try {
            HerdConfigBuilder config = HerdConfig.builder(topology.withPort(name, port).withPeerPort(name, peerPort)
                            .withAdminPort(name, adminPort), name)
                    .secret(options.secret == null ? null : new HerdSecret(options.secret.getBytes(StandardCharsets.UTF_8)))
                    .logDir(logDir)
                    .ioThreads(options.ioThreads)
                    .placesTimeout(options.placesTimeout);
            if (options.placesUrl != null) {
                config.placesUrl(URI.create(options.placesUrl)).placesKey(options.placesKey)
                        .placesApi(options.newPlacesApi ? PlacesApi.NEW : PlacesApi.LEGACY)
                        .placesDeadline(options.placesDeadline.compareTo(options.placesTimeout) < 0
                                ? options.placesTimeout : options.placesDeadline)
                        .placesCacheTtl(options.placesCacheTtl)
                        .placesCa(options.placesCa);
            }
            return new HerdServer(config.build(), peer -> proxies.get(name + "->" + peer).address(), this::adminAddressOf);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private InetSocketAddress adminAddressOf(String name) {
        Integer port = adminPorts.get(name);
        return port == null ? null : new InetSocketAddress(LOOPBACK, port);
    }

    /**
     * The admin HTTP endpoint of {@code server}: {@code /metrics}, {@code /health}, {@code /status} and
     * the status page at the root. It keeps its port across a restart.
     */
    public URI adminUri(String server) {
        Integer port = adminPorts.get(known(server));
        return URI.create("http://" + LOOPBACK + ":" + Objects.requireNonNull(port, server) + "/");
    }

    private InetSocketAddress addressOf(String name) {
        Integer port = ports.get(name);
        return port == null ? null : new InetSocketAddress(LOOPBACK, port);
    }

    /** Where peers link to {@code name}: its peer port (the relays on the links connect there). */
    private InetSocketAddress peerAddressOf(String name) {
        Integer port = peerPorts.get(name);
        return port == null ? null : new InetSocketAddress(LOOPBACK, port);
    }

    /** The servers' names, in topology order. */
    public Set<String> names() {
        return topology.names();
    }

    /** Where {@code server} listens (also while it is killed: a restart takes the same port). */
    public InetSocketAddress address(String server) {
        return Objects.requireNonNull(addressOf(known(server)), server);
    }

    /**
     * Where {@code server} takes its peers' links: its peer port, apart from the client port. For tests
     * that speak as a peer would (also while it is killed: a restart takes the same port).
     */
    public InetSocketAddress peerAddress(String server) {
        return Objects.requireNonNull(peerAddressOf(known(server)), server);
    }

    /** A new connection to {@code server}, closed with the herd. */
    public LineClient client(String server) {
        LineClient client = LineClient.connect(address(server));
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    /** Stops {@code server} as a crash would look to its peers and clients: its connections close. */
    public void kill(String server) {
        HerdServer s = running.remove(known(server));
        if (s != null) {
            s.close();
        }
    }

    /** Starts a killed server again on its old port, with an empty store. */
    public void restart(String server) {
        if (running.containsKey(known(server))) {
            throw new IllegalStateException(server + " is running; kill it first");
        }
        HerdServer s = newServer(server, ports.get(server), peerPorts.get(server), adminPorts.get(server));
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
        HerdServer s = running.get(known(server));
        if (s == null) {
            return Optional.empty();
        }
        At at = s.store().get(Bytes.utf8(clientId));
        return Optional.ofNullable(at).map(a -> a.line().toString());
    }

    /** Waits until every running server holds the same record for {@code clientId}; returns its AT line. */
    public String awaitConverged(String clientId, Duration timeout) {
        Wait.until("every running server to hold the same record for " + clientId, timeout, () -> {
            Set<Optional<String>> seen = new java.util.HashSet<>();
            running.keySet().forEach(name -> seen.add(record(name, clientId)));
            return seen.size() == 1 && seen.iterator().next().isPresent();
        });
        return record(running.keySet().iterator().next(), clientId).orElseThrow();
    }

    /** Waits until {@code server} holds exactly {@code atLine} for {@code clientId}. */
    public void awaitRecord(String server, String clientId, String atLine, Duration timeout) {
        Wait.until(server + " to hold " + atLine, timeout, () -> record(server, clientId).filter(atLine::equals).isPresent());
    }

    /** Waits until every link between running servers is open, both ways, except links that are cut. */
    public void awaitLinksUp(Duration timeout) {
        Wait.until("all peer links between running servers to be up", timeout, () -> running.entrySet().stream()
                .allMatch(s -> s.getValue().peerLinks().entrySet().stream()
                        .allMatch(link -> !running.containsKey(link.getKey()) || link.getValue()
                                || proxies.get(s.getKey() + "->" + link.getKey()).isCut())));
    }

    /**
     * Cuts the link between two peers, both ways: their connections end and new ones are refused until
     * {@link #heal}. The herd routes around it where the topology allows.
     */
    public void cut(String a, String b) {
        link(a, b).forEach(LinkProxy::cut);
    }

    /** Restores a link: connections are accepted again, with no delay and no loss. */
    public void heal(String a, String b) {
        link(a, b).forEach(LinkProxy::heal);
    }

    /** Delays everything on the link between two peers, both ways, by {@code delay}. */
    public void delay(String a, String b, Duration delay) {
        link(a, b).forEach(p -> p.delay(delay.toMillis()));
    }

    /**
     * Drops a fraction (0 to 1) of the updates on the link between two peers, both ways, at random.
     * A connection's greeting always passes.
     */
    public void drop(String a, String b, double fraction) {
        if (fraction < 0 || fraction > 1) {
            throw new IllegalArgumentException("fraction: " + fraction + " (expected: 0 to 1)");
        }
        link(a, b).forEach(p -> p.drop(fraction));
    }

    private List<LinkProxy> link(String a, String b) {
        LinkProxy ab = proxies.get(known(a) + "->" + known(b));
        LinkProxy ba = proxies.get(b + "->" + a);
        if (ab == null || ba == null) {
            throw new IllegalArgumentException("no link between " + a + " and " + b);
        }
        return List.of(ab, ba);
    }

    /** Whether each link of {@code server} is open now, by peer. */
    public Map<String, Boolean> links(String server) {
        HerdServer s = running.get(known(server));
        return s == null ? Map.of() : new LinkedHashMap<>(s.peerLinks());
    }

    /** The event log of {@code server}: links, Places, lifecycle. */
    public Path logFile(String server) {
        return logDir.resolve(known(server) + ".log");
    }

    /** The protocol log of {@code server}: every line it received and sent. */
    public Path linesLogFile(String server) {
        return logDir.resolve(known(server) + ".lines.log");
    }

    /** The text of {@code server}'s event log so far. */
    public String log(String server) {
        return read(logFile(server));
    }

    /** The text of {@code server}'s protocol log so far (written within some 10 ms of each line). */
    public String linesLog(String server) {
        return read(linesLogFile(server));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String known(String server) {
        if (!topology.names().contains(server)) {
            throw new IllegalArgumentException("unknown server " + server + " (expected one of: "
                    + String.join(", ", topology.names()) + ")");
        }
        return server;
    }

    /** Closes every client it handed out and stops every server. */
    @Override
    public void close() {
        synchronized (clients) {
            clients.forEach(LineClient::close);
            clients.clear();
        }
        new ArrayList<>(running.keySet()).forEach(this::kill);
        proxies.values().forEach(LinkProxy::close);
        proxyLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    /** How to start a herd. */
    public static final class Builder {
        private Topology topology = Topology.defaultHerd();
        private String placesUrl;
        private String placesKey;
        private Duration placesTimeout = PlacesSettings.DEFAULT_TIMEOUT;
        private Duration placesDeadline = PlacesSettings.DEFAULT_DEADLINE;
        private Duration placesCacheTtl = PlacesSettings.DEFAULT_CACHE_TTL;
        private boolean newPlacesApi;
        private String secret;
        private Path placesCa;
        private Path logDir = Path.of(System.getProperty("herd.logDir", "target/herd-logs"));
        private int ioThreads = 2;

        private Builder() {
        }

        /** The servers and links, as in a {@code --config} file (ports are replaced by ephemeral ones). */
        public Builder topology(Topology t) {
            this.topology = Objects.requireNonNull(t);
            return this;
        }

        /** The servers and links from JSON in the {@code --config} format. */
        public Builder topologyJson(String json) {
            try {
                return topology(TopologyFile.parse(json));
            } catch (ConfigException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }

        /** The Nearby Search endpoint every server asks, e.g. {@link FakePlaces#url()}. */
        public Builder placesUrl(String url) {
            this.placesUrl = url;
            return this;
        }

        /** The API key servers send to Places. */
        public Builder placesKey(String key) {
            this.placesKey = key;
            return this;
        }

        /** How long one attempt at Places may take (default 5 s). */
        public Builder placesTimeout(Duration timeout) {
            this.placesTimeout = timeout;
            return this;
        }

        /** How long a WHATSAT waits for Places in all, retries included (default 10 s). */
        public Builder placesDeadline(Duration deadline) {
            this.placesDeadline = deadline;
            return this;
        }

        /** How long Places answers are reused; {@link Duration#ZERO} turns the cache off (default 60 s). */
        public Builder placesCacheTtl(Duration ttl) {
            this.placesCacheTtl = ttl;
            return this;
        }

        /** A herd secret every server shares: peer links then prove it with a challenge-response. */
        public Builder secret(String herdSecret) {
            this.secret = herdSecret;
            return this;
        }

        /** Speak Places API (New) to {@link #placesUrl} instead of legacy Nearby Search. */
        public Builder newPlacesApi() {
            this.newPlacesApi = true;
            return this;
        }

        /** Trust this PEM certificate for an https Places URL, e.g. {@link FakePlaces#certificateFile()}. */
        public Builder placesCa(Path certificate) {
            this.placesCa = certificate;
            return this;
        }

        /** Where each herd makes its own folder of logs. */
        public Builder logDir(Path dir) {
            this.logDir = dir;
            return this;
        }

        /** Event loop threads per server. */
        public Builder ioThreads(int threads) {
            this.ioThreads = threads;
            return this;
        }

        /** Starts every server, links them, and returns once all listen. */
        public Herd start() {
            ServerLogs.useHerdConfigurationUnlessConfigured();
            return new Herd(this).startAll();
        }
    }
}
