package dev.herd.server.config;

import dev.herd.server.internal.Transport;
import org.jspecify.annotations.Nullable;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Everything one server needs to know, loaded and validated once at start: the herd's topology, which
 * server this is, and its settings in small immutable records (client limits, Places, storage, logs).
 * Immutable; build with {@link #builder(Topology, String)}.
 */
public final class HerdConfig {
    private final Topology topology;
    private final ServerSpec self;
    private final @Nullable HerdSecret secret;
    private final @Nullable Tls tls;
    private final Transport transport;
    private final int ioThreads;
    private final ClientLimits limits;
    private final PlacesSettings places;
    private final StorageSettings storage;
    private final LogSettings logs;
    private final Dissemination dissemination;

    HerdConfig(Topology topology, ServerSpec self, @Nullable HerdSecret secret, @Nullable Tls tls, Transport transport,
               int ioThreads, ClientLimits limits, PlacesSettings places, StorageSettings storage, LogSettings logs,
               Dissemination dissemination) {
        this.topology = topology;
        this.self = self;
        this.secret = secret;
        this.tls = tls;
        this.transport = transport;
        this.ioThreads = ioThreads;
        this.limits = limits;
        this.places = places;
        this.storage = storage;
        this.logs = logs;
        this.dissemination = dissemination;
    }

    /** How this server passes updates on to its peers (the same across the herd). */
    public Dissemination dissemination() {
        return dissemination;
    }

    public static HerdConfigBuilder builder(Topology topology, String serverName) {
        return new HerdConfigBuilder(topology, serverName);
    }

    public Topology topology() {
        return topology;
    }

    public ServerSpec self() {
        return self;
    }

    public String name() {
        return self.name();
    }

    /** What one client connection may do. */
    public ClientLimits limits() {
        return limits;
    }

    /** Where WHATSAT answers come from. */
    public PlacesSettings places() {
        return places;
    }

    /** Where and how records are kept. */
    public StorageSettings storage() {
        return storage;
    }

    public LogSettings logs() {
        return logs;
    }

    /** The herd secret peers prove they know; none means peer links are not authenticated. */
    public Optional<HerdSecret> secret() {
        return Optional.ofNullable(secret);
    }

    /**
     * TLS for every connection (clients and peer links): this server's certificate chain and key, and
     * the certificates it trusts for its peers' links. None: plain TCP.
     */
    public Optional<Tls> tls() {
        return Optional.ofNullable(tls);
    }

    /** PEM files for TLS. */
    public record Tls(Path certificate, Path key, Path trust) {
    }

    public Transport transport() {
        return transport;
    }

    /**
     * Event loop threads for client and peer I/O: as set, else one per core. Not Netty's default of
     * twice the cores: on two cores shared with the clients' load, four loops gave 25-35% fewer
     * replies per second than two (docs/PERFORMANCE.md), and one loop per core leaves no loop waiting
     * for a core while another holds it.
     */
    public int ioThreads() {
        return ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
    }

    /** Where peers reach server {@code name} of the topology (its advertised address); null if there is no such server. */
    public @Nullable InetSocketAddress peerAddressOf(String name) {
        return topology.server(name).map(spec -> new InetSocketAddress(spec.advertise(), spec.peerPort())).orElse(null);
    }

    /** Where others reach server {@code name}'s admin endpoint; null if it has none. */
    public @Nullable InetSocketAddress adminAddressOf(String name) {
        return topology.server(name).filter(ServerSpec::hasAdmin)
                .map(spec -> new InetSocketAddress(spec.adminReachHost(), spec.adminPort())).orElse(null);
    }

    /** This server's event log (links, Places, lifecycle): {@code NAME.log}. */
    public Path logFile() {
        return logs.eventFile(name());
    }

    /** This server's protocol log (every line received and sent): {@code NAME.lines.log}. */
    public Path linesLogFile() {
        return logs.linesFile(name());
    }

    /** This server's journal; only with a data dir. */
    public Path journalFile() {
        return storage.journalFile(name());
    }

    @Override
    public String toString() {
        // Secrets are said to be set or not, never shown.
        return "HerdConfig{server=" + self.name() + ", port=" + self.port()
                + ", adminPort=" + (self.hasAdmin() ? Integer.toString(self.adminPort()) : "off")
                + ", " + places + ", herdSecret=" + (secret == null ? "none" : "set") + ", tls=" + (tls == null ? "off" : "on")
                + ", " + limits + ", " + storage + ", " + logs + ", transport=" + transport.name().toLowerCase(Locale.ROOT)
                + ", dissemination=" + dissemination.spelling() + "}";
    }
}
