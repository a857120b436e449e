package dev.herd.server;

import dev.herd.server.admin.AdminServer;
import dev.herd.server.admin.HerdMetrics;
import dev.herd.server.client.ClientHandler;
import dev.herd.server.client.ClientPipelineInitializer;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.internal.ServerThreads;
import dev.herd.server.internal.TlsContexts;
import dev.herd.server.internal.Transport;
import dev.herd.server.log.ProtocolLog;
import dev.herd.server.log.ServerLog;
import dev.herd.server.peer.InboundPeerHandler;
import dev.herd.server.peer.PeerLink;
import dev.herd.server.peer.PeerListenerInitializer;
import dev.herd.server.store.LocationStore;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
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
    private static final ServerLog LOG = ServerLog.of(HerdServer.class);
    private final HerdConfig config;
    private final Function<String, InetSocketAddress> peerAddresses;
    private final Function<String, InetSocketAddress> adminAddresses;
    private final HerdMetrics metrics;
    /** Null when the config turns the admin endpoint off. */
    private final AdminServer admin;
    private volatile boolean serving;
    private final Transport transport;
    private final EventLoopGroup group;
    /**
     * The one loop of {@link #group} that every peer connection lives on, in and out: an update from
     * one peer is forwarded to the others on the thread that read it.
     */
    private final EventLoop peerLoop;
    private final LocationStore store;
    /** What runs once the server serves; null before serve(). */
    private volatile ServerParts parts;
    private volatile ClientHandler handler;
    private volatile InboundPeerHandler.Server peerSide;
    private Channel listener;
    private Channel peerListener;
    /** Every protocol line in and out, in this server's log file. */
    private final ProtocolLog lines;
    private final TlsContexts tls;
    /** Every accepted client connection, so that stop() drains them and close() ends them all. */
    private final ChannelGroup connections = new DefaultChannelGroup("connections", GlobalEventExecutor.INSTANCE);
    /** Every connection accepted on the peer port: closed first when the server stops. */
    private final ChannelGroup peerConnections = new DefaultChannelGroup("peer-connections", GlobalEventExecutor.INSTANCE);

    /** A server whose peers are at the addresses the config gives: each one's host and peer port. */
    public HerdServer(HerdConfig config) {
        this(config, configuredPeers(config));
    }

    /**
     * A server whose peers' peer ports are found through {@code peerAddresses}, asked on every connect
     * attempt (the testkit hands out addresses of servers bound to ephemeral ports).
     */
    public HerdServer(HerdConfig config, Function<String, InetSocketAddress> peerAddresses) {
        this(config, peerAddresses, configuredAdmins(config));
    }

    /**
     * Like {@link #HerdServer(HerdConfig, Function)}, with the admin endpoints of the other servers
     * found through {@code adminAddresses} (null for a server without one), for the status page.
     */
    public HerdServer(HerdConfig config, Function<String, InetSocketAddress> peerAddresses,
                      Function<String, InetSocketAddress> adminAddresses) {
        this(config, peerAddresses, adminAddresses, null);
    }

    /**
     * A server at the addresses the config gives, whose protocol lines go to {@code lines}: the log
     * {@code Main} opened before listening (its events go there too until log4j2 runs).
     */
    public HerdServer(HerdConfig config, ProtocolLog lines) {
        this(config, configuredPeers(config), configuredAdmins(config), lines);
    }

    private HerdServer(HerdConfig config, Function<String, InetSocketAddress> peerAddresses,
                       Function<String, InetSocketAddress> adminAddresses, ProtocolLog lines) {
        this.config = config;
        this.store = new LocationStore(config.storage().storeLimit());
        this.peerAddresses = peerAddresses;
        this.adminAddresses = adminAddresses;
        this.metrics = new HerdMetrics(config.places().sourceLabel());
        this.admin = config.self().hasAdmin() ? new AdminServer() : null;
        this.transport = config.transport();
        this.tls = config.tls().map(TlsContexts::of).orElse(null);
        this.group = transport.newGroup(config.ioThreads(),
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

    private static Function<String, InetSocketAddress> configuredPeers(HerdConfig config) {
        return peer -> config.topology().server(peer).map(spec -> new InetSocketAddress(spec.host(), spec.peerPort())).orElse(null);
    }

    private static Function<String, InetSocketAddress> configuredAdmins(HerdConfig config) {
        return name -> config.topology().server(name).filter(ServerSpec::hasAdmin)
                .map(spec -> new InetSocketAddress(spec.adminHost(), spec.adminPort())).orElse(null);
    }

    /**
     * Takes the client and peer ports (and the admin port) without accepting yet, and returns the
     * client address bound. Call from outside any event loop.
     */
    public InetSocketAddress bind() throws BindFailedException {
        return bind(null);
    }

    /**
     * Like {@link #bind()}, but takes over the sockets that {@link #listenEarly} already made listen.
     *
     * @param early the listening sockets, or {@code null} to bind now
     */
    public InetSocketAddress bind(@Nullable Early early) throws BindFailedException {
        ServerSpec self = config.self();
        ServerBootstrap clients = ServerSockets.listening(new ServerBootstrap().group(group))
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ClientPipelineInitializer(config.limits(), tls == null ? null : tls.server(), () -> handler,
                        connections, metrics));
        ServerBootstrap peers = ServerSockets.listening(new ServerBootstrap().group(group, peerLoop))
                .childHandler(new PeerListenerInitializer(tls == null ? null : tls.server(), config.limits().maxLineLength(),
                        () -> peerSide, peerConnections));
        try {
            listener = ServerSockets.take(clients, early == null ? null : early.clients(), transport, self.host(), self.port());
        } catch (Exception e) {
            if (early != null) {
                early.close();
            }
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new BindFailedException(self.host() + ":" + self.port() + ": " + ServerSockets.reason(e), e);
        }
        try {
            peerListener = ServerSockets.take(peers, early == null ? null : early.peers(), transport, self.host(), self.peerPort());
        } catch (Exception e) {
            if (early != null) {
                early.close();
            }
            listener.close().syncUninterruptibly();
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new BindFailedException(ServerSockets.peerPortFailure(self, e), e);
        }
        if (admin != null) {
            try {
                admin.bind(group, transport.serverChannel(), self.adminHost(), self.adminPort());
            } catch (Exception e) {
                listener.close().syncUninterruptibly();
                peerListener.close().syncUninterruptibly();
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
                throw new BindFailedException(ServerSockets.adminPortFailure(self, e), e);
            }
        }
        return (InetSocketAddress) listener.localAddress();
    }

    /** Where peers link to this server, once bound. */
    public InetSocketAddress peerAddress() {
        return (InetSocketAddress) peerListener.localAddress();
    }

    /** Where the admin endpoint listens, once bound; empty when it is off. */
    public Optional<InetSocketAddress> adminAddress() {
        return admin == null ? Optional.empty() : Optional.of(admin.address());
    }

    /**
     * Makes this server's client and peer ports listen now, with no event loop yet: the very first
     * thing {@code Main} does, so that clients and peers can connect (into the kernel's backlog) while
     * the JVM loads the rest. Hand the result to {@link #bind(Early)}.
     */
    public static Early listenEarly(HerdConfig config) throws BindFailedException {
        return ServerSockets.listenEarly(config);
    }

    /** The client and peer sockets {@link #listenEarly} made listen, for {@link #bind(Early)}. */
    public record Early(Transport.EarlyListener clients, Transport.EarlyListener peers) {
        /** Closes both sockets (those Netty has not taken yet). */
        void close() {
            clients.close();
            peers.close();
        }
    }

    /** Builds the store's collaborators and starts accepting connections on the bound port. */
    public void serve() {
        if (listener == null) {
            throw new IllegalStateException("serve() before bind()");
        }
        String logFile = config.logFile().toString();
        parts = ServerParts.build(config, store, metrics, lines, peerLoop, peerAddresses, tls);
        handler = parts.clients;
        peerSide = parts.peers;
        // Peers first: what they kept for this server is read before the clients that queued meanwhile.
        peerListener.config().setAutoRead(true);
        peerListener.read();
        listener.config().setAutoRead(true);
        listener.read();
        serving = true;
        if (admin != null) {
            admin.serve(new AdminView(config, boundAddress(), admin.address(), () -> serving, metrics, parts.updates,
                    parts.flooder, connections, adminAddresses));
        }
        try (var logScope = ServerThreads.scope(config.name(), logFile)) {
            log().info("{} listening on {} for clients and {} for peers ({} transport); peers {}; places: {};"
                    + " admin endpoint: {}; {}", config.name(), listener.localAddress(), peerListener.localAddress(),
                    transport.name().toLowerCase(), config.self().peers(),
                    parts.places.describe(), admin == null ? "off" : "http://" + AdminView.hostPort(admin.address()) + "/", config);
            if (config.secret().isEmpty()) {
                log().info("{}: no herd secret (HERD_SECRET or secret_file): peer links are not authenticated;"
                        + " fine on loopback, not across a network", config.name());
            }
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
        return (InetSocketAddress) listener.localAddress();
    }

    public HerdConfig config() {
        return config;
    }

    public LocationStore store() {
        return store;
    }

    /** Whether the link to each peer is open now, by peer name. */
    public Map<String, Boolean> peerLinks() {
        Map<String, Boolean> up = new LinkedHashMap<>();
        if (parts != null) {
            for (Map.Entry<String, PeerLink> e : parts.flooder.links().entrySet()) {
                up.put(e.getKey(), e.getValue().isUp());
            }
        }
        return up;
    }

    /**
     * Stops gracefully: stops accepting, closes the peer links (peers route around a stopped server),
     * and lets every client connection receive the replies it is owed for at most {@code drain} (a
     * WHATSAT still waiting for Places is answered at once with the error of a failed query), then
     * closes everything.
     */
    public void stop(Duration drain) {
        serving = false;
        if (listener != null) {
            listener.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        closePeerSide();
        if (handler != null && !drain.isZero() && !connections.isEmpty()) {
            try (var logScope = ServerThreads.scope(config.name(), config.logFile().toString())) {
                log().info("{} stopping: answering what {} connections are owed (at most {} ms)", config.name(),
                        connections.size(), drain.toMillis());
            }
            for (Channel ch : connections) {
                ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(ClientHandler.DRAIN));
            }
            connections.newCloseFuture().awaitUninterruptibly(drain.toMillis());
        }
        close();
    }

    /** Stops at once: closes the listeners, peer links and connections, and waits (briefly) for the threads to end. */
    @Override
    public void close() {
        serving = false;
        if (listener != null) {
            listener.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        closePeerSide();
        if (admin != null) {
            admin.close();
        }
        connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        if (parts != null) {
            parts.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
        try (var logScope = ServerThreads.scope(config.name(), config.logFile().toString())) {
            log().info("{} stopped", config.name());
        }
        lines.close();
    }

    /**
     * Closes the peer port, the links peers opened to it and this server's links to them, so that its
     * peers see it go at once. Explicitly: a link left open would lead to a socket nobody reads.
     */
    private void closePeerSide() {
        if (peerListener != null) {
            peerListener.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        peerConnections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        if (parts != null) {
            parts.flooder.close();
        }
    }

    /** Looked up when used, not at class load: bind() must not pay for starting log4j. */
    private static ServerLog log() {
        return LOG;
    }

    /** The server could not start: one line says why. */
    public static final class StartFailedException extends RuntimeException {
        public StartFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The server could not listen where it was told to. */
    public static final class BindFailedException extends Exception {
        public BindFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
