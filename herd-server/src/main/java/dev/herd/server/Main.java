package dev.herd.server;

import dev.herd.server.config.ConfigException;
import dev.herd.server.config.Fsync;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.HerdConfigBuilder;
import dev.herd.server.config.HerdSecret;
import dev.herd.server.config.PlacesApi;
import dev.herd.server.config.Topology;
import dev.herd.server.config.TopologyFile;
import dev.herd.server.internal.ServerThreads;
import dev.herd.server.internal.Transport;
import dev.herd.server.log.NettyLog;
import dev.herd.server.log.ProtocolLog;
import dev.herd.server.log.ServerLog;
import io.netty.util.internal.logging.InternalLoggerFactory;
import org.apache.logging.log4j.LogManager;
import sun.misc.Signal;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * {@code java -jar herd-server.jar NAME [options]}: runs one server until SIGTERM or Ctrl-C.
 * Exit codes: 0 after a clean stop, 2 when it cannot start (bad arguments or config, unknown name,
 * port in use), each with a one-line message on stderr.
 */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_USAGE = 2;
    /** The log configuration of a JVM that runs one server: its events in one file (the testkit routes per server). */
    static final String LOG_CONFIG = "herd-server-log4j2.xml";

    static final String USAGE = """
            Usage: java -jar herd-server.jar NAME [options]

            Runs server NAME of the herd until SIGTERM or Ctrl-C.

              NAME                   a server of the topology; the default herd has Hill (12205),
                                     Jaquez (12206), Smith (12207), Campbell (12208), Singleton (12209)
              --config FILE          JSON topology: {"servers": {"Hill": {"host": "127.0.0.1",
                                     "port": 12205, "peers": ["Jaquez", "Smith"]}, ...}};
                                     a server may add "peer_port": N (where peers link to it;
                                     default the port + 2000), "admin_port": N or "off", and
                                     "admin_host" (default: the five-server herd on 127.0.0.1)
              Places (what WHATSAT answers with), first that applies:
              --places-url URL       any Nearby Search endpoint (http or https), asked as --places-api says
              PLACES_API_KEY=KEY     (environment) Google's endpoint for --places-api, with this key
              (neither)              offline GeoNames places shipped in the jar: no key, no network
              --places-api API       legacy (default): GET .../nearbysearch/json?location=&radius=&key=
                                     new: POST places.googleapis.com/v1/places:searchNearby (needs a key)
              --places-timeout MS    one attempt's timeout (default 5000)
              --places-connect-timeout MS  (default 3000)
              --places-deadline MS   a WHATSAT's whole wait for Places, retries included (default 10000)
              --places-cache-ttl MS  how long network answers are reused; 0 turns it off (default 60000)
              --places-ca FILE       a PEM certificate to trust for an https endpoint, beyond the JDK's
              --max-line-length N    longest line accepted, in bytes (default 65536)
              --max-owed-replies N   replies a connection may owe (pipelined and unanswered, or unread)
                                     before the server stops reading from it until it catches up (default 1024)
              --max-connections N    connections held at once; more are closed on arrival (default 10000)
              --idle-timeout MS      close a client connection silent this long and owed nothing;
                                     0: never (default 300000; peer links are exempt)
              --places-concurrency N Places queries in flight at once; more get an error answer at
                                     once (default 64); one connection has at most a sixteenth
                                     in flight, its further WHATSATs wait their turn
              --line-timeout MS      close a client that takes longer to finish a line (default 10000)
              --max-output-bytes N   replies a client may leave unread before the server stops reading
                                     from it (default 65536)
              --max-store-bytes N    records kept (lines + 48 bytes each; k, m, g suffixes); new client
                                     ids are refused with "?" past it (default: half the heap)
              --max-id-length N      longest client id accepted, in bytes (default 1024)
              --max-clock-ahead MS   refuse IAMATs whose time is further ahead of this server's clock;
                                     0: no bound, as the protocol says (default 0)
              --data-dir DIR         keep this server's records in DIR/NAME.journal, read back at start
                                     (default: in memory only)
              --fsync POLICY         always, everysec (default) or no: when the journal reaches the disk
              --journal-repair       start even if the journal is damaged: keep every good record,
                                     rewrite the file with them, and log how many were dropped
              --admin-port N|off     this server's admin HTTP endpoint (/metrics, /health, /status and
                                     the status page at /), on the server's host; default: "admin_port"
                                     in --config, else the client port + 1000 (Hill: 13205)
              --log-dir DIR          where NAME.log (events) and NAME.lines.log (every protocol line)
                                     are written (default logs)
              --lines-log-size SIZE  rotate NAME.lines.log past this size (k, m, g suffixes; default 64m)
              --lines-log-files N    protocol log files kept, the current one included (default 8);
                                     or "lines_log": {"file_size": "64m", "files": 8} in --config
              --io-threads N         event loop threads (default: one per core)
              --transport T          nio (default: listens soonest after start) or epoll (Linux)
              HERD_SECRET=...        (environment) the herd secret peers prove they know (HMAC
                                     challenge-response; never sent); or "secret_file" in --config
              -h, --help             this help

            Exit codes: 0 stopped by SIGTERM or Ctrl-C; 2 bad arguments or config, unknown NAME,
            or port in use.
            """;

    private Main() {
    }

    public static void main(String[] args) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
        }
        // Netty 4.2 registers JFR events for buffer allocations when it first allocates: some 60 ms of
        // reflection on a fresh JVM, on the way to the first reply. The herd does not use them.
        if (System.getProperty("io.netty.jfr.enabled") == null) {
            System.setProperty("io.netty.jfr.enabled", "false");
        }
        if (System.getProperty("log4j2.disableJmx") == null) {
            System.setProperty("log4j2.disableJmx", "true");
        }
        HerdConfig config;
        try {
            config = parse(args, System.getenv("PLACES_API_KEY"), System.getenv("HERD_SECRET"));
        } catch (HelpRequested e) {
            System.out.print(USAGE);
            System.exit(EXIT_OK);
            return;
        } catch (ConfigException e) {
            fail(System.err, e.getMessage());
            return;
        }
        ServerThreads.oneServerPerJvm(config.logFile().toString());
        // The log files exist before the port listens, so an operator who sees the port open finds them.
        for (Path file : new Path[] {config.logFile(), config.linesLogFile()}) {
            try {
                ProtocolLog.createFile(file);
            } catch (java.io.IOException | RuntimeException e) {
                fail(System.err, "cannot create the log file " + file + " (" + e + "); --log-dir sets its folder");
                return;
            }
        }
        // Listen first: clients may connect the moment the process starts (they wait in the backlog).
        EarlySockets early;
        try {
            early = EarlySockets.listen(config);
        } catch (BindFailedException e) {
            fail(System.err, "cannot listen on " + e.getMessage());
            return;
        }
        // log4j2 takes longer to start than a server has to listen, answer and link: it starts later,
        // on a thread of its own, and events logged meanwhile go to the file through this log (ServerLog).
        ProtocolLog lines;
        ProtocolLog events;
        try {
            events = ProtocolLog.events(config.logFile(), config.name());
            lines = ProtocolLog.open(config.linesLogFile(), config.name(), config.logs().lines().fileBytes(), config.logs().lines().files());
        } catch (java.io.IOException | RuntimeException e) {
            early.close();
            fail(System.err, "cannot write the log files in " + config.logs().dir() + " (" + e + "); --log-dir sets their folder");
            return;
        }
        ServerLog.deferUntilReady(events);
        // Netty logs into the server's log like the server's own events (through ServerLog).
        InternalLoggerFactory.setDefaultFactory(NettyLog.INSTANCE);
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        Fatal.installHandler();
        HerdServer server;
        InetSocketAddress bound;
        try {
            server = new HerdServer(config, lines);
            bound = server.bind(early);
            server.serve();
            server.connectPeers();
        } catch (BindFailedException e) {
            fail(System.err, "cannot listen on " + e.getMessage());
            return;
        } catch (RuntimeException | Error e) {
            // Whatever stops a start ends the process with one line, never a stack trace and a port held.
            Fatal.haltIfFatal(e);
            dev.herd.server.log.ServerLog.of(Main.class).error("cannot start: {}", e.getMessage());
            lines.close();
            events.close();
            fail(System.err, "cannot start: " + (e instanceof StartFailedException ? e.getMessage() : e.toString()));
            return;
        }
        startLoggingSoon(config);
        System.out.println(config.name() + " listening on " + bound.getHostString() + ":" + bound.getPort()
                + ", peers on " + server.peerAddress().getPort()
                + server.adminAddress().map(a -> ", status page http://" + a.getHostString() + ":" + a.getPort() + "/").orElse("")
                + ", log " + config.logFile() + " (protocol lines: " + config.linesLogFile().getFileName() + ")");
        awaitUninterruptibly(stop);
        // A stop must be quick (tools stop a server and start another on its port at once): waiting
        // WHATSATs get Places' error answer at once, anything else owed has this long.
        server.stop(STOP_DRAIN);
        if (ServerLog.isReady()) {
            LogManager.shutdown(); // flushes its asynchronous loggers
        } else {
            events.close(); // log4j2 never started: the early writer holds the last events
        }
        System.exit(EXIT_OK);
    }

    /** How long a stopping server waits for the replies it owes clients before it closes their connections. */
    static final Duration STOP_DRAIN = Duration.ofMillis(500);

    /**
     * How long after serving log4j2 starts. Starting it costs a fresh JVM 0.6-0.8 s of CPU (measured),
     * which on two cores, started at once, delayed the server's first replies and links, and slowed
     * every other server starting beside it (tools start five servers half a second apart, and restart
     * them as often). Events are written by the server's own log writer meanwhile ({@link ServerLog}).
     */
    static final Duration LOGGING_DELAY = Duration.ofSeconds(5);

    /** Starts log4j2 on a thread of its own after {@link #LOGGING_DELAY}, then hands it the events logged meanwhile. */
    private static void startLoggingSoon(HerdConfig config) {
        Thread init = new Thread(() -> {
            try {
                TimeUnit.MILLISECONDS.sleep(LOGGING_DELAY.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            LogManager.getLogger(Main.class).debug("logging started");
            ServerLog.ready();
        }, config.name() + "-log-init");
        init.setDaemon(true);
        init.start();
    }

    private static void awaitUninterruptibly(CountDownLatch stop) {
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void fail(PrintStream err, String message) {
        // Only start-up fails: log4j2 has not started, and starting it to stop it would cost most of a second.
        err.println("herd-server: " + message);
        System.exit(EXIT_USAGE);
    }

    /** Reads the command line into one config; {@code placesKey} comes from the environment. */
    static HerdConfig parse(String[] args, String placesKey) throws ConfigException, HelpRequested {
        return parse(args, placesKey, null);
    }

    /** Reads the command line into one config; the key and the herd secret come from the environment. */
    static HerdConfig parse(String[] args, String placesKey, String herdSecret) throws ConfigException, HelpRequested {
        String name = null;
        Path configFile = null;
        // Option values are read and checked as they come; they are applied once the topology is known.
        List<Consumer<HerdConfigBuilder>> options = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> throw new HelpRequested();
                case "--config" -> configFile = Path.of(value(args, ++i, arg));
                case "--journal-repair" -> options.add(b -> b.journalRepair(true));
                default -> {
                    if (arg.startsWith("-")) {
                        if (!OPTIONS.contains(arg)) {
                            throw new ConfigException("unknown option " + arg + " (see --help)");
                        }
                        options.add(option(arg, value(args, ++i, arg)));
                    } else if (name != null) {
                        throw new ConfigException("one server name expected, got " + name + " and " + arg);
                    } else {
                        name = arg;
                    }
                }
            }
        }
        if (name == null) {
            throw new ConfigException("missing server NAME (see --help)");
        }
        Topology topology = configFile == null ? Topology.defaultHerd() : TopologyFile.read(configFile);
        HerdConfigBuilder builder = HerdConfig.builder(topology, name).placesKey(placesKey);
        builder.secret(secret(herdSecret, configFile));
        if (configFile != null) {
            TopologyFile.tls(configFile).ifPresent(builder::tls);
            TopologyFile.linesLog(configFile).ifPresent(l -> builder.linesLogFileBytes(l.fileBytes()).linesLogFiles(l.files()));
        }
        options.forEach(option -> option.accept(builder));
        return builder.build();
    }

    /** Every option that takes a value, besides --config. */
    private static final java.util.Set<String> OPTIONS = java.util.Set.of("--places-url", "--places-api", "--places-ca",
            "--places-timeout", "--places-connect-timeout", "--places-deadline", "--places-cache-ttl", "--idle-timeout",
            "--max-line-length", "--max-owed-replies", "--max-connections", "--places-concurrency", "--io-threads",
            "--data-dir", "--log-dir", "--fsync", "--transport", "--admin-port", "--max-store-bytes", "--max-id-length",
            "--max-clock-ahead", "--line-timeout", "--max-output-bytes", "--lines-log-size", "--lines-log-files");

    /** One {@code --option value}, read now and applied to the builder later. */
    private static Consumer<HerdConfigBuilder> option(String option, String value) throws ConfigException {
        return switch (option) {
            case "--places-url" -> {
                URI url = uri(value);
                yield b -> b.placesUrl(url);
            }
            case "--places-api" -> {
                PlacesApi api = placesApi(value);
                yield b -> b.placesApi(api);
            }
            case "--places-ca" -> b -> b.placesCa(Path.of(value));
            case "--places-timeout" -> millis(value, option, HerdConfigBuilder::placesTimeout);
            case "--places-connect-timeout" -> millis(value, option, HerdConfigBuilder::placesConnectTimeout);
            case "--places-deadline" -> millis(value, option, HerdConfigBuilder::placesDeadline);
            case "--places-cache-ttl" -> millis(value, option, HerdConfigBuilder::placesCacheTtl);
            case "--idle-timeout" -> millis(value, option, HerdConfigBuilder::idleTimeout);
            case "--max-line-length" -> count(value, option, HerdConfigBuilder::maxLineLength);
            case "--max-owed-replies" -> count(value, option, HerdConfigBuilder::maxOwedReplies);
            case "--max-connections" -> count(value, option, HerdConfigBuilder::maxConnections);
            case "--places-concurrency" -> count(value, option, HerdConfigBuilder::placesConcurrency);
            case "--io-threads" -> {
                int n = (int) number(value, option);
                if (n < 1) {
                    throw new ConfigException("--io-threads: " + value + " (expected: 1 or more; leave it out for one per core)");
                }
                yield b -> b.ioThreads(n);
            }
            case "--max-store-bytes" -> {
                long n = bytes(value, option);
                yield b -> b.maxStoreBytes(n);
            }
            case "--max-id-length" -> count(value, option, HerdConfigBuilder::maxIdLength);
            case "--max-clock-ahead" -> millis(value, option, HerdConfigBuilder::maxClockAhead);
            case "--line-timeout" -> millis(value, option, HerdConfigBuilder::lineTimeout);
            case "--max-output-bytes" -> count(value, option, HerdConfigBuilder::maxOutputBytes);
            case "--data-dir" -> b -> b.dataDir(Path.of(value));
            case "--admin-port" -> {
                int port = "off".equals(value) ? dev.herd.server.config.ServerSpec.ADMIN_OFF : (int) number(value, option);
                yield b -> b.adminPort(port);
            }
            case "--log-dir" -> b -> b.logDir(Path.of(value));
            case "--lines-log-size" -> {
                long n = bytes(value, option);
                yield b -> b.linesLogFileBytes(n);
            }
            case "--lines-log-files" -> count(value, option, HerdConfigBuilder::linesLogFiles);
            case "--fsync" -> {
                Fsync policy = fsync(value);
                yield b -> b.fsync(policy);
            }
            case "--transport" -> {
                Transport t = transport(value);
                yield b -> b.transport(t);
            }
            default -> throw new ConfigException("unknown option " + option + " (see --help)");
        };
    }

    private static Consumer<HerdConfigBuilder> millis(String value, String option,
                                                       BiConsumer<HerdConfigBuilder, Duration> setter) throws ConfigException {
        Duration d = Duration.ofMillis(number(value, option));
        return b -> setter.accept(b, d);
    }

    private static Consumer<HerdConfigBuilder> count(String value, String option,
                                                      BiConsumer<HerdConfigBuilder, Integer> setter) throws ConfigException {
        int n = (int) number(value, option);
        return b -> setter.accept(b, n);
    }

    /** HERD_SECRET if set, else the config's secret_file, else none. */
    private static HerdSecret secret(String fromEnvironment, Path configFile) throws ConfigException {
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return herdSecret("HERD_SECRET", fromEnvironment);
        }
        if (configFile == null) {
            return null;
        }
        java.util.Optional<Path> file = TopologyFile.secretFile(configFile);
        if (file.isEmpty()) {
            return null;
        }
        try {
            refuseIfOthersCanRead(file.get());
            byte[] bytes = java.nio.file.Files.readAllBytes(file.get());
            String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw new ConfigException("secret_file " + file.get() + ": empty");
            }
            return herdSecret("secret_file " + file.get(), text);
        } catch (java.io.IOException e) {
            throw new ConfigException("secret_file " + file.get() + ": cannot read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static HerdSecret herdSecret(String where, String text) throws ConfigException {
        try {
            return new HerdSecret(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }

    /** As ssh refuses a private key others can read: a secret in a file anyone may read is no secret. */
    private static void refuseIfOthersCanRead(Path file) throws ConfigException, java.io.IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return; // no owner/group/others permissions to check on this file system
        }
        java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions = java.nio.file.Files.getPosixFilePermissions(file);
        if (permissions.contains(java.nio.file.attribute.PosixFilePermission.GROUP_READ)
                || permissions.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ)) {
            throw new ConfigException("secret_file " + file + ": readable by group or others ("
                    + java.nio.file.attribute.PosixFilePermissions.toString(permissions) + "); chmod 600 " + file);
        }
    }

    private static String value(String[] args, int i, String option) throws ConfigException {
        if (i >= args.length) {
            throw new ConfigException(option + ": missing value");
        }
        return args[i];
    }

    private static long number(String text, String option) throws ConfigException {
        try {
            long n = Long.parseLong(text);
            if (n < 0 || n > Integer.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(option + ": " + text + " (expected: a whole number from 0 to " + Integer.MAX_VALUE + ")");
        }
    }

    private static long bytes(String text, String option) throws ConfigException {
        return dev.herd.server.config.ByteSize.parse(text, option);
    }

    private static Transport transport(String text) throws ConfigException {
        try {
            return Transport.named(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--transport: " + text + " (expected: nio or epoll"
                    + (text.equalsIgnoreCase("epoll") ? "; " + e.getMessage() : "") + ")");
        }
    }

    private static Fsync fsync(String text) throws ConfigException {
        try {
            return Fsync.named(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--fsync: " + text + " (expected: always, everysec or no)");
        }
    }

    private static PlacesApi placesApi(String text) throws ConfigException {
        try {
            return PlacesApi.named(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--places-api: " + text + " (expected: legacy or new)");
        }
    }

    private static URI uri(String text) throws ConfigException {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigException("--places-url: " + dev.herd.server.config.Redact.url(text) + " (expected: an http:// or https:// URL)");
        }
    }

    /** The user asked for --help. */
    static final class HelpRequested extends Exception {
        HelpRequested() {
            super(null, null, false, false);
        }
    }
}
