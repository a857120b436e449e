package dev.herd.server.config;

import dev.herd.protocol.codec.HerdCodec;
import dev.herd.server.internal.Transport;
import dev.herd.server.peer.HerdSecret;
import dev.herd.server.places.PlacesApi;
import dev.herd.server.store.Journal;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one server needs to know, loaded and validated once at start: the herd's topology,
 * which server this is, where Places answers come from, limits and logs. Immutable; build with
 * {@link #builder(Topology, String)}.
 */
public final class HerdConfig {
    public static final Duration DEFAULT_PLACES_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_PLACES_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_PLACES_DEADLINE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_PLACES_CACHE_TTL = Duration.ofSeconds(60);
    public static final int PLACES_CACHE_ENTRIES = 1024;
    public static final Duration PLACES_PAUSE_AFTER_REFUSAL = Duration.ofSeconds(30);
    public static final Path DEFAULT_LOG_DIR = Path.of("logs");
    public static final int DEFAULT_MAX_OWED_REPLIES = 1024;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    public static final int DEFAULT_PLACES_CONCURRENCY = 64;
    public static final int DEFAULT_MAX_ID_LENGTH = 1024;
    /** Time a client has to finish a line it has started sending. */
    public static final Duration DEFAULT_LINE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Bytes of replies a connection may have unwritten before its next lines wait and the server stops
     * reading from it. With the Places share (4 queries of at most ~20 KB answers each) a client that
     * never reads holds at most about 150 KB: 10,000 of them about 1.5 GB.
     */
    public static final int DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;

    private final Topology topology;
    private final ServerSpec self;
    private final URI placesUrl;
    private final String placesKey;
    private final Duration placesTimeout;
    private final int maxLineLength;
    private final int maxOwedReplies;
    private final int maxConnections;
    private final Duration idleTimeout;
    private final int placesConcurrency;
    private final HerdSecret secret;
    private final Path dataDir;
    private final Tls tls;
    private final Journal.Fsync fsync;
    private final Path logDir;
    private final LinesLog linesLog;
    private final int ioThreads;
    private final Transport transport;
    private final PlacesApi placesApi;
    private final Duration placesConnectTimeout;
    private final Duration placesDeadline;
    private final Duration placesCacheTtl;
    private final Path placesCa;
    private final long maxStoreBytes;
    private final int maxIdLength;
    private final Duration maxClockAhead;
    private final Duration lineTimeout;
    private final int maxOutputBytes;
    private final boolean journalRepair;

    private HerdConfig(Builder b, ServerSpec self) {
        this.journalRepair = b.journalRepair;
        this.maxStoreBytes = b.maxStoreBytes > 0 ? b.maxStoreBytes : defaultMaxStoreBytes();
        this.maxIdLength = b.maxIdLength;
        this.maxClockAhead = b.maxClockAhead;
        this.lineTimeout = b.lineTimeout;
        this.maxOutputBytes = b.maxOutputBytes;
        this.topology = b.topology;
        this.self = self;
        this.placesUrl = b.placesUrl;
        this.placesKey = b.placesKey;
        this.placesTimeout = b.placesTimeout;
        this.maxLineLength = b.maxLineLength;
        this.maxOwedReplies = b.maxOwedReplies;
        this.maxConnections = b.maxConnections;
        this.idleTimeout = b.idleTimeout;
        this.placesConcurrency = b.placesConcurrency;
        this.secret = b.secret;
        this.dataDir = b.dataDir;
        this.tls = b.tls;
        this.fsync = b.fsync;
        this.logDir = b.logDir;
        this.linesLog = new LinesLog(b.linesLogFileBytes, b.linesLogFiles);
        this.ioThreads = b.ioThreads;
        this.transport = b.transport;
        this.placesApi = b.placesApi;
        this.placesConnectTimeout = b.placesConnectTimeout;
        this.placesDeadline = b.placesDeadline;
        this.placesCacheTtl = b.placesCacheTtl;
        this.placesCa = b.placesCa;
    }

    /** Half the heap: the rest is for connections, buffers and the journal's queue. */
    public static long defaultMaxStoreBytes() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    /** Bytes of records (lines and a fixed overhead each) the store holds before it refuses new client ids. */
    public long maxStoreBytes() {
        return maxStoreBytes;
    }

    /** The longest client id accepted, in bytes. */
    public int maxIdLength() {
        return maxIdLength;
    }

    /**
     * How far ahead of this server's clock a client's time may be; zero: no bound (the protocol's
     * rule, newest client time wins, then lets a time far in the future pin a client's record).
     */
    public Duration maxClockAhead() {
        return maxClockAhead;
    }

    /** How long a client may take to finish a line once it has started it; zero: forever. */
    public Duration lineTimeout() {
        return lineTimeout;
    }

    /** Whether a damaged journal is repaired at start (good records kept, the file rewritten) instead of refused. */
    public boolean journalRepair() {
        return journalRepair;
    }

    /** Bytes of replies a client connection may leave unread before the server stops reading from it. */
    public int maxOutputBytes() {
        return maxOutputBytes;
    }

    public static Builder builder(Topology topology, String serverName) {
        return new Builder(topology, serverName);
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

    /** The Places endpoint to GET, if one is configured. */
    public Optional<URI> placesUrl() {
        return Optional.ofNullable(placesUrl);
    }

    /** The Places API key; never logged. */
    public Optional<String> placesKey() {
        return Optional.ofNullable(placesKey);
    }

    /** How long one attempt at Places may take. */
    public Duration placesTimeout() {
        return placesTimeout;
    }

    public Duration placesConnectTimeout() {
        return placesConnectTimeout;
    }

    /** How long a WHATSAT waits for Places in all, retries included. */
    public Duration placesDeadline() {
        return placesDeadline;
    }

    /** How long a network answer is reused; zero turns the cache off. */
    public Duration placesCacheTtl() {
        return placesCacheTtl;
    }

    /** A PEM certificate to trust for an HTTPS Places endpoint, beyond the JDK's own. */
    public Optional<Path> placesCa() {
        return Optional.ofNullable(placesCa);
    }

    public int maxLineLength() {
        return maxLineLength;
    }

    /** Replies a connection may owe before the server stops reading from it until it catches up. */
    public int maxOwedReplies() {
        return maxOwedReplies;
    }

    /** Connections a server holds at once; more are closed as they arrive. */
    public int maxConnections() {
        return maxConnections;
    }

    /** How long a client connection may stay silent, owing nothing, before it is closed; zero: forever. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Places queries in flight at once; more are answered with an error at once. */
    public int placesConcurrency() {
        return placesConcurrency;
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

    /**
     * The protocol log's rotation: past {@code fileBytes} the file is rotated, and {@code files} files
     * are kept in all (the current one and {@code files - 1} rotated), so it never holds more than
     * {@code fileBytes * files}.
     */
    public record LinesLog(long fileBytes, int files) {
        /** 64 MiB files, 8 kept: at most 512 MiB, some 3.5 million lines. */
        public static final LinesLog DEFAULT = new LinesLog(64L << 20, 8);
    }

    /** Where the journal is kept; none: records live in memory only. */
    public Optional<Path> dataDir() {
        return Optional.ofNullable(dataDir);
    }

    public Path journalFile() {
        return dataDir.resolve(self.name() + ".journal");
    }

    public Journal.Fsync fsync() {
        return fsync;
    }

    public Path logDir() {
        return logDir;
    }

    /** The server's event log (links, Places, lifecycle): {@code NAME.log}. */
    public Path logFile() {
        return logDir.resolve(self.name() + ".log");
    }

    /** The server's protocol log (every line received and sent): {@code NAME.lines.log}. */
    public Path linesLogFile() {
        return logDir.resolve(self.name() + ".lines.log");
    }

    public LinesLog linesLog() {
        return linesLog;
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

    /** Which Google API a network source speaks (the offline source ignores it). */
    public PlacesApi placesApi() {
        return placesApi;
    }

    /**
     * Where WHATSAT answers come from: {@code --places-url} if given, else Google's endpoint for the
     * configured API when a key is set, else nothing (the offline source).
     */
    public Optional<URI> placesEndpoint() {
        if (placesUrl != null) {
            return Optional.of(placesUrl);
        }
        return placesKey != null ? Optional.of(placesApi.googleEndpoint()) : Optional.empty();
    }

    public Transport transport() {
        return transport;
    }

    @Override
    public String toString() {
        // The key is a secret: say whether there is one, never what it is.
        return "HerdConfig{server=" + self.name() + ", port=" + self.port()
                + ", adminPort=" + (self.hasAdmin() ? Integer.toString(self.adminPort()) : "off")
                + ", placesUrl=" + (placesUrl == null ? "none" : Redact.url(placesUrl))
                + ", placesKey=" + (placesKey == null ? "none" : "set") + ", herdSecret=" + (secret == null ? "none" : "set") + ", tls=" + (tls == null ? "off" : "on") + ", placesApi=" + placesApi.name().toLowerCase(java.util.Locale.ROOT)
                + ", placesTimeout=" + placesTimeout.toMillis() + "ms, placesDeadline=" + placesDeadline.toMillis()
                + "ms, placesCacheTtl=" + placesCacheTtl.toMillis() + "ms, maxLineLength=" + maxLineLength
                + ", dataDir=" + (dataDir == null ? "none" : dataDir + " (fsync " + fsync.name().toLowerCase(java.util.Locale.ROOT) + ")")
                + ", maxStoreBytes=" + maxStoreBytes + ", maxIdLength=" + maxIdLength
                + ", maxClockAhead=" + (maxClockAhead.isZero() ? "none" : maxClockAhead.toMillis() + "ms")
                + ", lineTimeout=" + lineTimeout.toMillis() + "ms, maxOutputBytes=" + maxOutputBytes
                + ", logDir=" + logDir + ", linesLog=" + linesLog + ", transport=" + transport.name().toLowerCase(java.util.Locale.ROOT) + "}";
    }

    /** Builder with the documented defaults. */
    public static final class Builder {
        private final Topology topology;
        private final String serverName;
        private URI placesUrl;
        private String placesKey;
        private Duration placesTimeout = DEFAULT_PLACES_TIMEOUT;
        private int maxLineLength = HerdCodec.DEFAULT_MAX_LINE_LENGTH;
        private int maxOwedReplies = DEFAULT_MAX_OWED_REPLIES;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private int placesConcurrency = DEFAULT_PLACES_CONCURRENCY;
        private HerdSecret secret;
        private Path dataDir;
        private Tls tls;
        private Journal.Fsync fsync = Journal.Fsync.EVERYSEC;
        private Path logDir = DEFAULT_LOG_DIR;
        private long linesLogFileBytes = LinesLog.DEFAULT.fileBytes();
        private int linesLogFiles = LinesLog.DEFAULT.files();
        private int ioThreads;
        private Transport transport = Transport.NIO;
        private PlacesApi placesApi = PlacesApi.LEGACY;
        private Duration placesConnectTimeout = DEFAULT_PLACES_CONNECT_TIMEOUT;
        private Duration placesDeadline = DEFAULT_PLACES_DEADLINE;
        private Duration placesCacheTtl = DEFAULT_PLACES_CACHE_TTL;
        private Path placesCa;
        private Integer adminPort;
        private long maxStoreBytes;
        private int maxIdLength = DEFAULT_MAX_ID_LENGTH;
        private Duration maxClockAhead = Duration.ZERO;
        private Duration lineTimeout = DEFAULT_LINE_TIMEOUT;
        private int maxOutputBytes = DEFAULT_MAX_OUTPUT_BYTES;
        private boolean journalRepair;

        private Builder(Topology topology, String serverName) {
            this.topology = Objects.requireNonNull(topology, "topology");
            this.serverName = serverName;
        }

        public Builder placesUrl(URI url) {
            this.placesUrl = url;
            return this;
        }

        public Builder placesKey(String key) {
            this.placesKey = key == null || key.isEmpty() ? null : key;
            return this;
        }

        public Builder placesTimeout(Duration timeout) {
            this.placesTimeout = timeout;
            return this;
        }

        public Builder maxLineLength(int max) {
            this.maxLineLength = max;
            return this;
        }

        public Builder maxConnections(int max) {
            this.maxConnections = max;
            return this;
        }

        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        public Builder placesConcurrency(int max) {
            this.placesConcurrency = max;
            return this;
        }

        public Builder tls(Tls files) {
            this.tls = files;
            return this;
        }

        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public Builder fsync(Journal.Fsync policy) {
            this.fsync = Objects.requireNonNull(policy, "fsync");
            return this;
        }

        public Builder secret(HerdSecret herdSecret) {
            this.secret = herdSecret;
            return this;
        }

        public Builder maxOwedReplies(int max) {
            this.maxOwedReplies = max;
            return this;
        }

        public Builder logDir(Path dir) {
            this.logDir = dir;
            return this;
        }

        /** The protocol log's size before it rotates. */
        public Builder linesLogFileBytes(long bytes) {
            this.linesLogFileBytes = bytes;
            return this;
        }

        /** How many protocol log files are kept, the current one included. */
        public Builder linesLogFiles(int files) {
            this.linesLogFiles = files;
            return this;
        }

        public Builder ioThreads(int threads) {
            this.ioThreads = threads;
            return this;
        }

        public Builder transport(Transport t) {
            this.transport = Objects.requireNonNull(t, "transport");
            return this;
        }

        public Builder placesConnectTimeout(Duration timeout) {
            this.placesConnectTimeout = timeout;
            return this;
        }

        public Builder placesDeadline(Duration deadline) {
            this.placesDeadline = deadline;
            return this;
        }

        public Builder placesCacheTtl(Duration ttl) {
            this.placesCacheTtl = ttl;
            return this;
        }

        public Builder placesCa(Path certificate) {
            this.placesCa = certificate;
            return this;
        }

        /** This server's admin port, over the topology's: 1-65535, or {@link ServerSpec#ADMIN_OFF}. */
        public Builder adminPort(int port) {
            this.adminPort = port;
            return this;
        }

        /** 0: the default, half the heap. */
        public Builder maxStoreBytes(long max) {
            this.maxStoreBytes = max;
            return this;
        }

        public Builder maxIdLength(int max) {
            this.maxIdLength = max;
            return this;
        }

        public Builder maxClockAhead(Duration ahead) {
            this.maxClockAhead = ahead;
            return this;
        }

        public Builder lineTimeout(Duration timeout) {
            this.lineTimeout = timeout;
            return this;
        }

        public Builder journalRepair(boolean repair) {
            this.journalRepair = repair;
            return this;
        }

        public Builder maxOutputBytes(int max) {
            this.maxOutputBytes = max;
            return this;
        }

        public Builder placesApi(PlacesApi api) {
            this.placesApi = Objects.requireNonNull(api, "placesApi");
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
            if (placesUrl != null) {
                String scheme = placesUrl.getScheme();
                if (!"http".equals(scheme) && !"https".equals(scheme) || placesUrl.getHost() == null) {
                    throw new ConfigException("places-url: " + Redact.url(placesUrl) + " (expected: an http:// or https:// URL with a host)");
                }
            }
            if (placesApi == PlacesApi.NEW && placesKey == null) {
                throw new ConfigException("places-api new: needs a key in PLACES_API_KEY (Places API (New) takes no request without one)");
            }
            if (placesTimeout.isNegative() || placesTimeout.isZero()) {
                throw new ConfigException("places-timeout: " + placesTimeout.toMillis() + " ms (expected: more than 0)");
            }
            if (placesConnectTimeout.isNegative() || placesConnectTimeout.isZero()) {
                throw new ConfigException("places-connect-timeout: " + placesConnectTimeout.toMillis() + " ms (expected: more than 0)");
            }
            if (placesDeadline.compareTo(placesTimeout) < 0) {
                throw new ConfigException("places-deadline: " + placesDeadline.toMillis() + " ms (expected: at least the "
                        + placesTimeout.toMillis() + " ms of places-timeout)");
            }
            if (placesCacheTtl.isNegative()) {
                throw new ConfigException("places-cache-ttl: " + placesCacheTtl.toMillis() + " ms (expected: 0 or more)");
            }
            if (placesCa != null && !java.nio.file.Files.isReadable(placesCa)) {
                throw new ConfigException("places-ca: " + placesCa + " (expected: a readable PEM certificate file)");
            }
            if (maxLineLength < 64 || maxLineLength > 16 * 1024 * 1024) {
                throw new ConfigException("max-line-length: " + maxLineLength + " (expected: 64-16777216 bytes)");
            }
            if (tls != null) {
                for (Path file : new Path[] {tls.certificate(), tls.key(), tls.trust()}) {
                    if (!java.nio.file.Files.isReadable(file)) {
                        throw new ConfigException("tls: " + file + " (expected: a readable PEM file)");
                    }
                }
            }
            if (maxConnections < 1) {
                throw new ConfigException("max-connections: " + maxConnections + " (expected: 1 or more)");
            }
            if (idleTimeout.isNegative()) {
                throw new ConfigException("idle-timeout: " + idleTimeout.toMillis() + " ms (expected: 0 for none, or more)");
            }
            if (placesConcurrency < 1) {
                throw new ConfigException("places-concurrency: " + placesConcurrency + " (expected: 1 or more)");
            }
            if (maxOwedReplies < 1) {
                throw new ConfigException("max-owed-replies: " + maxOwedReplies + " (expected: 1 or more)");
            }
            if (linesLogFileBytes < 4096) {
                throw new ConfigException("lines-log-size: " + linesLogFileBytes + " (expected: 4k or more)");
            }
            if (linesLogFiles < 1 || linesLogFiles > 1000) {
                throw new ConfigException("lines-log-files: " + linesLogFiles + " (expected: 1 to 1000)");
            }
            if (ioThreads < 0) {
                throw new ConfigException("io-threads: " + ioThreads + " (expected: 1 or more)");
            }
            if (maxStoreBytes < 0) {
                throw new ConfigException("max-store-bytes: " + maxStoreBytes + " (expected: 0 for half the heap, or more)");
            }
            if (maxIdLength < 1) {
                throw new ConfigException("max-id-length: " + maxIdLength + " (expected: 1 or more)");
            }
            if (maxClockAhead.isNegative()) {
                throw new ConfigException("max-clock-ahead: " + maxClockAhead.toMillis() + " ms (expected: 0 for no bound, or more)");
            }
            if (lineTimeout.isNegative()) {
                throw new ConfigException("line-timeout: " + lineTimeout.toMillis() + " ms (expected: 0 for none, or more)");
            }
            if (maxOutputBytes < 1024) {
                throw new ConfigException("max-output-bytes: " + maxOutputBytes + " (expected: 1024 or more)");
            }
            if (secret == null && !isLoopback(self.host())) {
                // Redis's protected mode: without a secret anyone who reaches the peer port could write records.
                throw new ConfigException("server " + self.name() + " listens for peers on " + self.host() + ":"
                        + self.peerPort() + ", beyond this machine, without a herd secret: anyone who reaches that port"
                        + " could write any client's location. Set HERD_SECRET (or \"secret_file\" in the config),"
                        + " or use a loopback host");
            }
            return new HerdConfig(this, self);
        }

        /** Whether {@code host} names this machine's loopback interface only. */
        private static boolean isLoopback(String host) {
            if (host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]")) {
                return true;
            }
            try {
                return java.net.InetAddress.getByName(host).isLoopbackAddress();
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }
    }
}
