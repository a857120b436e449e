package dev.herd.server;

import dev.herd.server.admin.AdminServer;
import dev.herd.server.client.ClientConnections;
import dev.herd.server.client.ClientPipelineInitializer;
import dev.herd.server.config.ConfigException;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.internal.ServerThreads;
import dev.herd.server.internal.TlsContexts;
import dev.herd.server.log.ProtocolLog;
import dev.herd.server.log.ServerLog;
import dev.herd.server.metrics.HerdMetrics;
import dev.herd.server.peer.Flooder;
import dev.herd.server.peer.PeerListenerInitializer;
import dev.herd.server.store.LocationStore;
import dev.herd.server.store.UpdateListener;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One server of the herd: it listens for clients on its port and for peers on its peer port, keeps
 * the location store, links to its peers and asks its Places source. Start with {@link #start()}, stop with {@link #close()}. Not
 * restartable: make a new one.
 *
 * <p>Start-up is in two steps so that a server listens as early as possible: {@link #bind()} takes
 * the port with nothing but Netty loaded (connections wait in the kernel's backlog), then
 * {@link #serve()} builds the rest, which loads logging and more, and starts accepting.
 */
public final class HerdServer implements AutoCloseable {
    /** Looked up when used, not at class load: bind() must not pay for starting log4j. */
    private static final class Log {
        static final ServerLog LOG = ServerLog.of(HerdServer.class);
    }

    private final HerdConfig config;
    /** The config as last reloaded: its topology is the one the links follow. */
    private volatile HerdConfig reloaded;
    private final Function<String, InetSocketAddress> peerAddresses;
    private final Function<String, InetSocketAddress> adminAddresses;
    private final HerdMetrics metrics;
    /** Null when the config turns the admin endpoint off. */
    private final AdminServer admin;
    private volatile boolean serving;
    private final EventLoopGroup group;
    /**
     * The one loop of {@link #group} that every peer connection lives on, in and out: an update from
     * one peer is forwarded to the others on the thread that read it.
     */
    private final EventLoop peerLoop;
    private final LocationStore store;
    /** Told of every update this server applies, beside its metrics; set before serve(). */
    private volatile UpdateListener observer = UpdateListener.NONE;
    /** What runs once the server serves; null before serve(). */
    private volatile ServerParts parts;
    /** The client and peer listeners; null before bind(). */
    private ServerSockets.Listeners listeners;
    /** Every protocol line in and out, in this server's log file. */
    private final ProtocolLog lines;
    private final TlsContexts tls;
    /** Every accepted client connection, so that stop() drains them and close() ends them all. */
    private final ClientConnections connections = new ClientConnections();
    /** Build each connection's pipeline; the peer one closes its connections at stop. */
    private final ClientPipelineInitializer clientPipeline;
    private final PeerListenerInitializer peerPipeline;

    /** A server whose peers are at the addresses the config gives: each one's host and peer port. */
    public HerdServer(HerdConfig config) {
        this(config, null, config::adminAddressOf, null);
    }

    /** A server that finds its peers through {@code peerAddresses}, asked on every connect attempt (the testkit's ephemeral ports). */
    public HerdServer(HerdConfig config, Function<String, InetSocketAddress> peerAddresses) {
        this(config, peerAddresses, config::adminAddressOf);
    }

    /** Like {@link #HerdServer(HerdConfig, Function)}; the status page finds the other admin endpoints through {@code adminAddresses}. */
    public HerdServer(HerdConfig config, Function<String, InetSocketAddress> peerAddresses,
                      Function<String, InetSocketAddress> adminAddresses) {
        this(config, peerAddresses, adminAddresses, null);
    }

    /** A server at the config's addresses whose protocol lines go to {@code lines}, which {@code Main} opened before listening. */
    public HerdServer(HerdConfig config, ProtocolLog lines) {
        this(config, null, config::adminAddressOf, lines);
    }

    /** @param peerAddresses null: each peer's host and peer port in the config, the reloaded one after a {@link #reload} */
    private HerdServer(HerdConfig config, @Nullable Function<String, InetSocketAddress> peerAddresses,
                       Function<String, InetSocketAddress> adminAddresses, @Nullable ProtocolLog lines) {
        this.config = config;
        this.reloaded = config;
        this.store = new LocationStore(config.storage().storeLimit());
        this.peerAddresses = peerAddresses != null ? peerAddresses : name -> reloaded.peerAddressOf(name);
        this.adminAddresses = adminAddresses;
        this.metrics = new HerdMetrics(config.places().sourceLabel());
        this.admin = config.self().hasAdmin() ? new AdminServer() : null;
        this.tls = config.tls().map(t -> TlsContexts.of(t.certificate(), t.key(), t.trust())).orElse(null);
        this.clientPipeline = new ClientPipelineInitializer(config.limits(), tls == null ? null : tls.server(),
                () -> parts.clients, connections, metrics);
        this.peerPipeline = new PeerListenerInitializer(tls == null ? null : tls.server(), config.limits().maxLineLength(),
                () -> parts.peers);
        this.group = config.transport().newGroup(config.ioThreads(),
                new ServerThreads(config.name(), "io", config.logFile().toString()));
        this.peerLoop = group.next();
        try {
            this.lines = lines != null ? lines : ProtocolLog.open(config.linesLogFile(), config.name(),
                    config.logs().lines().fileBytes(), config.logs().lines().files());
        } catch (IOException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("log file " + config.linesLogFile() + ": cannot write (" + e + ")", e);
        }
    }

    /**
     * Takes the client and peer ports (and the admin port) without accepting yet, and returns the
     * client address bound. Call from outside any event loop.
     */
    public InetSocketAddress bind() throws BindFailedException {
        return bind(null);
    }

    /**
     * Like {@link #bind()}, but takes over the sockets that {@link EarlySockets#listen} already made listen.
     *
     * @param early the listening sockets, or {@code null} to bind now
     */
    public InetSocketAddress bind(@Nullable EarlySockets early) throws BindFailedException {
        try {
            listeners = ServerSockets.bind(config, group, peerLoop, clientPipeline, peerPipeline, admin, early);
        } catch (BindFailedException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
        return listeners.clientAddress();
    }

    /** Where peers link to this server, once bound. */
    public InetSocketAddress peerAddress() {
        return listeners.peerAddress();
    }

    /** Where the admin endpoint listens, once bound; empty when it is off. */
    public Optional<InetSocketAddress> adminAddress() {
        return admin == null ? Optional.empty() : Optional.of(admin.address());
    }

    /**
     * Tells {@code listener} of every update this server applies from now on, on the thread that applies
     * it (it must not block): for tools that watch a herd from inside its JVM, such as the simulator.
     * Call before {@link #serve()}.
     */
    public void observeUpdates(UpdateListener listener) {
        if (parts != null) {
            throw new IllegalStateException("observeUpdates() after serve()");
        }
        this.observer = listener;
    }

    /** Builds the store's collaborators and starts accepting connections on the bound port. */
    public void serve() {
        if (listeners == null) {
            throw new IllegalStateException("serve() before bind()");
        }
        parts = ServerParts.build(config, store, metrics, observer, lines, peerLoop, peerAddresses, tls);
        listeners.accept();
        serving = true;
        if (admin != null) {
            admin.serve(new AdminView(config, boundAddress(), admin.address(), () -> serving, metrics, parts.updates,
                    parts.flooder, connections, adminAddresses));
        }
        try (var logScope = ServerThreads.scope(config.name(), config.logFile().toString())) {
            parts.logServing(config, listeners, admin == null ? null : admin.address());
        }
    }

    /** Opens the links to this server's peers; they retry in the background until each peer is up. */
    public void connectPeers() {
        parts.flooder.start();
    }

    /** Binds, serves, then links to the peers. */
    public InetSocketAddress start() throws BindFailedException {
        InetSocketAddress bound = bind();
        serve();
        connectPeers();
        return bound;
    }

    public String name() {
        return config.name();
    }

    /** Where this server listens, once bound. */
    public InetSocketAddress boundAddress() {
        return listeners.clientAddress();
    }

    public HerdConfig config() {
        return config;
    }

    public LocationStore store() {
        return store;
    }

    /**
     * Applies a reloaded config to the running server: links to peers it adds open (each starting with a
     * store comparison, so a new server is caught up), links to peers it removes close (with the
     * connections they had opened to this server), and the others carry on; clients are served
     * throughout. Only the topology applies without a restart. Call from outside the event loops.
     *
     * @return one line for the log saying what changed
     * @throws ConfigException when the config cannot apply to this running server (another name, or
     *                         this server's own addresses changed); nothing is changed then
     */
    public String reload(HerdConfig next) throws ConfigException {
        ServerParts running = parts;
        if (running == null) {
            throw new ConfigException(config.name() + " is not serving yet");
        }
        TopologyReload.check(reloaded, next);
        HerdConfig before = reloaded;
        reloaded = next;
        Flooder.Change change = running.flooder.setPeers(next.self().peers(), ServerParts.treePeersOf(next)).syncUninterruptibly().getNow();
        peerPipeline.closeFrom(change.removed());
        return TopologyReload.describe(before, next, change);
    }

    /** Whether the link to each peer is open now, by peer name. */
    public Map<String, Boolean> peerLinks() {
        return parts == null ? Map.of() : parts.flooder.linksUp();
    }

    /**
     * Stops gracefully: stops accepting, closes the peer links (peers route around a stopped server),
     * and lets every client connection receive the replies it is owed for at most {@code drain} (a
     * WHATSAT still waiting for Places is answered at once with the error of a failed query), then
     * closes everything.
     */
    public void stop(Duration drain) {
        serving = false;
        closeListeners();
        if (parts != null && !drain.isZero() && connections.size() > 0) {
            try (var logScope = ServerThreads.scope(config.name(), config.logFile().toString())) {
                connections.drain(config.name(), drain);
            }
        }
        close();
    }

    /** Stops at once: closes the listeners, peer links and connections, and waits (briefly) for the threads to end. */
    @Override
    public void close() {
        serving = false;
        closeListeners();
        if (admin != null) {
            admin.close();
        }
        connections.close();
        if (parts != null) {
            parts.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        try (var logScope = ServerThreads.scope(config.name(), config.logFile().toString())) {
            Log.LOG.info("{} stopped", config.name());
        }
        lines.close();
    }

    /**
     * Closes both ports, the links peers opened to this server and its links to them, so that its peers
     * see it go at once. Explicitly: a link left open would lead to a socket nobody reads.
     */
    private void closeListeners() {
        if (listeners != null) {
            listeners.closeClients();
            listeners.closePeers();
        }
        peerPipeline.closeAll();
        if (parts != null) {
            parts.flooder.close();
        }
    }
}
