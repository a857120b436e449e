package dev.herd.server;

import dev.herd.server.client.ClientHandler;
import dev.herd.server.client.PeerSync;
import dev.herd.server.config.Dissemination;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.internal.Backoff;
import dev.herd.server.internal.ServerThreads;
import dev.herd.server.internal.TlsContexts;
import dev.herd.server.log.ProtocolLog;
import dev.herd.server.log.ServerLog;
import dev.herd.server.metrics.HerdMetrics;
import dev.herd.server.peer.Flooder;
import dev.herd.server.peer.InboundPeerHandler;
import dev.herd.server.peer.SpanningTree;
import dev.herd.server.places.Places;
import dev.herd.server.places.PlacesSources;
import dev.herd.server.store.Journal;
import dev.herd.server.store.JournalRecovery;
import dev.herd.server.store.LocationStore;
import dev.herd.server.store.UpdateListener;
import dev.herd.server.store.Updates;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.EventExecutor;
import org.jspecify.annotations.Nullable;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What a server runs once it serves, built together in dependency order (journal, links, Places,
 * updates, then the client and peer handlers over them) and closed together.
 */
final class ServerParts {
    private static final ServerLog LOG = ServerLog.of(ServerParts.class);
    final @Nullable Journal journal;
    /** Runs the walks of the store that store comparisons need, off the event loops. */
    final EventExecutor comparisons;
    final Flooder flooder;
    final Places places;
    final Updates updates;
    final ClientHandler clients;
    final InboundPeerHandler.Server peers;

    private ServerParts(@Nullable Journal journal, EventExecutor comparisons, Flooder flooder, Places places,
                        Updates updates, ClientHandler clients, InboundPeerHandler.Server peers) {
        this.journal = journal;
        this.comparisons = comparisons;
        this.flooder = flooder;
        this.places = places;
        this.updates = updates;
        this.clients = clients;
        this.peers = peers;
    }

    /**
     * Builds the parts of the server {@code config} describes around its {@code store}; its peer links
     * live on {@code peerLoop} and find each peer through {@code peerAddresses}; every update applied is
     * told to the metrics and to {@code observer}.
     *
     * @throws StartFailedException when the journal cannot be read or written
     */
    static ServerParts build(HerdConfig config, LocationStore store, HerdMetrics metrics, UpdateListener observer, ProtocolLog lines,
                             EventLoop peerLoop, Function<String, InetSocketAddress> peerAddresses,
                             @Nullable TlsContexts tls) {
        String name = config.name();
        String logFile = config.logFile().toString();
        Journal journal = config.storage().journalDir().isPresent() ? openJournal(config, store, logFile) : null;
        // One thread for store comparisons' walks of the store, started at the first comparison.
        EventExecutor comparisons = new DefaultEventExecutor(new ServerThreads(name, "compare", logFile));
        Flooder flooder = new Flooder(name, config.self().peers(), peerAddresses, peerLoop,
                config.transport().socketChannel(), Backoff.DEFAULT, config.secret().orElse(null), store, comparisons,
                tls == null ? null : tls.peerClient(), lines, treePeersOf(config));
        Places places = PlacesSources.of(config.places(), config.transport(), new ServerThreads(name, "places", logFile),
                metrics.places());
        PeerSync peerSync = new PeerSync(new HashSet<>(config.self().peers()), peerLoop);
        Updates updates = new Updates(store, journal, flooder, observer == UpdateListener.NONE ? metrics
                : UpdateListener.both(metrics, observer));
        ClientHandler clients = new ClientHandler(new ClientHandler.Services(name, updates, places, Clock.systemUTC(),
                config.places().deadline()), metrics, lines, peerSync,
                new ClientHandler.Admission(config.limits().maxIdLength(), config.limits().maxClockAhead().toMillis(),
                        ClientHandler.Admission.placesShare(config.places().concurrency())));
        InboundPeerHandler.Server peers = new InboundPeerHandler.Server(name, updates, flooder,
                config.secret().orElse(null), metrics, lines, peer -> {
                    flooder.reachedBy(peer);
                    peerSync.heardFrom(peer);
                }, comparisons);
        return new ServerParts(journal, comparisons, flooder, places, updates, clients, peers);
    }

    /** In tree mode, the peers along the herd's spanning tree; null to flood. */
    static @Nullable Set<String> treePeersOf(HerdConfig config) {
        return config.dissemination() == Dissemination.TREE ? SpanningTree.neighbours(config.topology(), config.name()) : null;
    }

    /** Reads the journal back into the store; damage, or a data dir that cannot hold it, stops the start with one line. */
    private static Journal openJournal(HerdConfig config, LocationStore store, String logFile) {
        try (var logScope = ServerThreads.scope(config.name(), logFile)) {
            JournalRecovery.Recovered recovered = JournalRecovery.open(config.name(), config.journalFile(), config.storage().journalRepair(),
                    config.storage().fsync(), store, new ServerThreads(config.name(), "journal", logFile));
            LOG.info("{}", recovered.summary());
            return recovered.journal();
        } catch (JournalRecovery.FailedException e) {
            throw new StartFailedException(e.getMessage(), e);
        }
    }

    /** Says, in the server's log, where it listens and with what. */
    void logServing(HerdConfig config, ServerSockets.Listeners listeners, @Nullable InetSocketAddress admin) {
        LOG.info("{} listening on {} for clients and {} for peers ({} transport); peers {}; places: {};"
                + " admin endpoint: {}; {}", config.name(), listeners.clientAddress(), listeners.peerAddress(),
                config.transport().name().toLowerCase(Locale.ROOT), config.self().peers(), places.describe(),
                admin == null ? "off" : "http://" + AdminView.hostPort(admin) + "/", config);
        if (config.secret().isEmpty()) {
            LOG.info("{}: no herd secret (HERD_SECRET or secret_file): peer links are not authenticated;"
                    + " fine on loopback, not across a network", config.name());
        }
    }

    /** Closes what the links and connections do not: Places, the journal (written out), the comparisons' thread. */
    void close() {
        places.close();
        if (journal != null) {
            journal.close();
        }
        comparisons.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
