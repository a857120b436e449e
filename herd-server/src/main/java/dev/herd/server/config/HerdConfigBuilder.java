package dev.herd.server.config;

import dev.herd.server.internal.Transport;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds a {@link HerdConfig} one option at a time, as the command line and the config file give them,
 * starting from the documented defaults; {@link #build()} checks them all.
 */
public final class HerdConfigBuilder {
    private final Topology topology;
    private final String serverName;
    private ClientLimits limits = ClientLimits.DEFAULT;
    private PlacesSettings places = PlacesSettings.OFFLINE;
    private StorageSettings storage = StorageSettings.IN_MEMORY;
    private LogSettings logs = LogSettings.DEFAULT;
    private HerdSecret secret;
    private HerdConfig.Tls tls;
    private int ioThreads;
    private Transport transport = Transport.NIO;
    private Integer adminPort;
    private Dissemination dissemination = Dissemination.FLOOD;

    HerdConfigBuilder(Topology topology, String serverName) {
        this.topology = Objects.requireNonNull(topology, "topology");
        this.serverName = serverName;
    }

    /** How updates pass between servers; herd-wide, so every server of a herd must be given the same. */
    public HerdConfigBuilder dissemination(Dissemination d) {
        this.dissemination = Objects.requireNonNull(d, "dissemination");
        return this;
    }

    public HerdConfigBuilder limits(ClientLimits l) {
        this.limits = Objects.requireNonNull(l, "limits");
        return this;
    }

    /** The Places settings so far. */
    public PlacesSettings placesSettings() {
        return places;
    }

    public HerdConfigBuilder places(PlacesSettings p) {
        this.places = Objects.requireNonNull(p, "places");
        return this;
    }

    public HerdConfigBuilder storage(StorageSettings s) {
        this.storage = Objects.requireNonNull(s, "storage");
        return this;
    }

    public HerdConfigBuilder logs(LogSettings l) {
        this.logs = Objects.requireNonNull(l, "logs");
        return this;
    }

    public HerdConfigBuilder placesUrl(URI url) {
        PlacesSettings p = places;
        return places(new PlacesSettings(url, p.key(), p.api(), p.timeout(), p.connectTimeout(), p.deadline(),
                p.cacheTtl(), p.ca(), p.concurrency()));
    }

    public HerdConfigBuilder placesKey(String key) {
        PlacesSettings p = places;
        return places(new PlacesSettings(p.url(), key == null || key.isEmpty() ? null : key, p.api(), p.timeout(),
                p.connectTimeout(), p.deadline(), p.cacheTtl(), p.ca(), p.concurrency()));
    }

    public HerdConfigBuilder placesApi(PlacesApi api) {
        PlacesSettings p = places;
        return places(new PlacesSettings(p.url(), p.key(), Objects.requireNonNull(api, "placesApi"), p.timeout(),
                p.connectTimeout(), p.deadline(), p.cacheTtl(), p.ca(), p.concurrency()));
    }

    public HerdConfigBuilder placesTimeout(Duration timeout) {
        PlacesSettings p = places;
        return places(new PlacesSettings(p.url(), p.key(), p.api(), timeout, p.connectTimeout(), p.deadline(),
                p.cacheTtl(), p.ca(), p.concurrency()));
    }

    public HerdConfigBuilder placesConnectTimeout(Duration timeout) {
        PlacesSettings p = places;
        return places(new PlacesSettings(p.url(), p.key(), p.api(), p.timeout(), timeout, p.deadline(), p.cacheTtl(),
                p.ca(), p.concurrency()));
    }

    public HerdConfigBuilder placesDeadline(Duration deadline) {
        PlacesSettings p = places;
        return places(new PlacesSettings(p.url(), p.key(), p.api(), p.timeout(), p.connectTimeout(), deadline,
                p.cacheTtl(), p.ca(), p.concurrency()));
    }

    public HerdConfigBuilder placesCacheTtl(Duration ttl) {
        PlacesSettings p = places;
        return places(new PlacesSettings(p.url(), p.key(), p.api(), p.timeout(), p.connectTimeout(), p.deadline(), ttl,
                p.ca(), p.concurrency()));
    }

    public HerdConfigBuilder placesCa(Path certificate) {
        PlacesSettings p = places;
        return places(new PlacesSettings(p.url(), p.key(), p.api(), p.timeout(), p.connectTimeout(), p.deadline(),
                p.cacheTtl(), certificate, p.concurrency()));
    }

    public HerdConfigBuilder placesConcurrency(int max) {
        PlacesSettings p = places;
        return places(new PlacesSettings(p.url(), p.key(), p.api(), p.timeout(), p.connectTimeout(), p.deadline(),
                p.cacheTtl(), p.ca(), max));
    }

    public HerdConfigBuilder maxLineLength(int max) {
        ClientLimits l = limits;
        return limits(new ClientLimits(max, l.maxOwedReplies(), l.maxConnections(), l.idleTimeout(), l.lineTimeout(),
                l.maxOutputBytes(), l.maxIdLength(), l.maxClockAhead()));
    }

    public HerdConfigBuilder maxOwedReplies(int max) {
        ClientLimits l = limits;
        return limits(new ClientLimits(l.maxLineLength(), max, l.maxConnections(), l.idleTimeout(), l.lineTimeout(),
                l.maxOutputBytes(), l.maxIdLength(), l.maxClockAhead()));
    }

    public HerdConfigBuilder maxConnections(int max) {
        ClientLimits l = limits;
        return limits(new ClientLimits(l.maxLineLength(), l.maxOwedReplies(), max, l.idleTimeout(), l.lineTimeout(),
                l.maxOutputBytes(), l.maxIdLength(), l.maxClockAhead()));
    }

    public HerdConfigBuilder idleTimeout(Duration timeout) {
        ClientLimits l = limits;
        return limits(new ClientLimits(l.maxLineLength(), l.maxOwedReplies(), l.maxConnections(), timeout,
                l.lineTimeout(), l.maxOutputBytes(), l.maxIdLength(), l.maxClockAhead()));
    }

    public HerdConfigBuilder lineTimeout(Duration timeout) {
        ClientLimits l = limits;
        return limits(new ClientLimits(l.maxLineLength(), l.maxOwedReplies(), l.maxConnections(), l.idleTimeout(),
                timeout, l.maxOutputBytes(), l.maxIdLength(), l.maxClockAhead()));
    }

    public HerdConfigBuilder maxOutputBytes(int max) {
        ClientLimits l = limits;
        return limits(new ClientLimits(l.maxLineLength(), l.maxOwedReplies(), l.maxConnections(), l.idleTimeout(),
                l.lineTimeout(), max, l.maxIdLength(), l.maxClockAhead()));
    }

    public HerdConfigBuilder maxIdLength(int max) {
        ClientLimits l = limits;
        return limits(new ClientLimits(l.maxLineLength(), l.maxOwedReplies(), l.maxConnections(), l.idleTimeout(),
                l.lineTimeout(), l.maxOutputBytes(), max, l.maxClockAhead()));
    }

    public HerdConfigBuilder maxClockAhead(Duration ahead) {
        ClientLimits l = limits;
        return limits(new ClientLimits(l.maxLineLength(), l.maxOwedReplies(), l.maxConnections(), l.idleTimeout(),
                l.lineTimeout(), l.maxOutputBytes(), l.maxIdLength(), ahead));
    }

    public HerdConfigBuilder dataDir(Path dir) {
        return storage(new StorageSettings(dir, storage.fsync(), storage.journalRepair(), storage.maxStoreBytes()));
    }

    public HerdConfigBuilder fsync(Fsync policy) {
        return storage(new StorageSettings(storage.dataDir(), Objects.requireNonNull(policy, "fsync"),
                storage.journalRepair(), storage.maxStoreBytes()));
    }

    public HerdConfigBuilder journalRepair(boolean repair) {
        return storage(new StorageSettings(storage.dataDir(), storage.fsync(), repair, storage.maxStoreBytes()));
    }

    /** 0: the default, half the heap. */
    public HerdConfigBuilder maxStoreBytes(long max) {
        return storage(new StorageSettings(storage.dataDir(), storage.fsync(), storage.journalRepair(), max));
    }

    public HerdConfigBuilder logDir(Path dir) {
        return logs(new LogSettings(dir, logs.lines()));
    }

    /** The protocol log's size before it rotates. */
    public HerdConfigBuilder linesLogFileBytes(long bytes) {
        return logs(new LogSettings(logs.dir(), new LinesLog(bytes, logs.lines().files())));
    }

    /** How many protocol log files are kept, the current one included. */
    public HerdConfigBuilder linesLogFiles(int files) {
        return logs(new LogSettings(logs.dir(), new LinesLog(logs.lines().fileBytes(), files)));
    }

    public HerdConfigBuilder secret(HerdSecret herdSecret) {
        this.secret = herdSecret;
        return this;
    }

    public HerdConfigBuilder tls(HerdConfig.Tls files) {
        this.tls = files;
        return this;
    }

    public HerdConfigBuilder ioThreads(int threads) {
        this.ioThreads = threads;
        return this;
    }

    public HerdConfigBuilder transport(Transport t) {
        this.transport = Objects.requireNonNull(t, "transport");
        return this;
    }

    /** This server's admin port, over the topology's: 1-65535, or {@link ServerSpec#ADMIN_OFF}. */
    public HerdConfigBuilder adminPort(int port) {
        this.adminPort = port;
        return this;
    }

    public HerdConfig build() throws ConfigException {
        ServerSpec self = topology.server(serverName).orElseThrow(() -> new ConfigException(
                "server " + serverName + ": unknown (expected one of: " + String.join(", ", topology.names()) + ")"));
        if (adminPort != null) {
            if (!ServerSpec.isAdminPortSetting(adminPort)) {
                throw new ConfigException("admin-port: " + adminPort + " (expected: 1-65535, or off)");
            }
            self = self.withAdminPort(adminPort);
        }
        places.check();
        limits.check();
        storage.check();
        logs.lines().check();
        if (tls != null) {
            for (Path file : new Path[] {tls.certificate(), tls.key(), tls.trust()}) {
                if (!Files.isReadable(file)) {
                    throw new ConfigException("tls: " + file + " (expected: a readable PEM file)");
                }
            }
        }
        if (ioThreads < 0) {
            throw new ConfigException("io-threads: " + ioThreads + " (expected: 1 or more)");
        }
        if (secret == null && !self.isLoopback()) {
            // Redis's protected mode: without a secret anyone who reaches the peer port could write records.
            throw new ConfigException("server " + self.name() + " listens for peers on " + self.host() + ":"
                    + self.peerPort() + ", beyond this machine, without a herd secret: anyone who reaches that port"
                    + " could write any client's location. Set HERD_SECRET (or \"secret_file\" in the config),"
                    + " or use a loopback host");
        }
        return new HerdConfig(topology, self, secret, tls, transport, ioThreads, limits, places, storage, logs, dissemination);
    }
}
