package dev.herd.server;

import dev.herd.server.config.ConfigException;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.Topology;
import dev.herd.server.config.TopologyFile;
import dev.herd.server.peer.HerdSecret;
import dev.herd.server.places.PlacesApi;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import io.netty.util.internal.logging.Log4J2LoggerFactory;
import org.apache.logging.log4j.LogManager;
import sun.misc.Signal;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar herd-server.jar NAME [options]}: runs one server until SIGTERM or Ctrl-C.
 * Exit codes: 0 after a clean stop, 2 when it cannot start (bad arguments or config, unknown name,
 * port in use), each with a one-line message on stderr.
 */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_USAGE = 2;
    static final String LOG_CONFIG = "herd-log4j2.xml";

    static final String USAGE = """
            Usage: java -jar herd-server.jar NAME [options]

            Runs server NAME of the herd until SIGTERM or Ctrl-C.

              NAME                   a server of the topology; the default herd has Hill (12205),
                                     Jaquez (12206), Smith (12207), Campbell (12208), Singleton (12209)
              --config FILE          JSON topology: {"servers": {"Hill": {"host": "127.0.0.1",
                                     "port": 12205, "peers": ["Jaquez", "Smith"]}, ...}}
                                     (default: the five-server herd on 127.0.0.1)
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
                                     once (default 64)
              --data-dir DIR         keep this server's records in DIR/NAME.journal, read back at start
                                     (default: in memory only)
              --fsync POLICY         always, everysec (default) or no: when the journal reaches the disk
              --log-dir DIR          where NAME.log is written (default logs)
              --io-threads N         event loop threads (default: twice the cores)
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
        // Netty logs through java.util.logging until the port is bound: starting log4j2 takes longer
        // than the whole bind, and the server must listen within half a second of starting.
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", LOG_CONFIG);
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
        // Listen first: clients may connect the moment the process starts (they wait in the backlog).
        Transport.EarlyListener early;
        try {
            early = HerdServer.listenEarly(config);
        } catch (HerdServer.BindFailedException e) {
            fail(System.err, "cannot listen on " + e.getMessage());
            return;
        }
        Thread logging = startLoggingInBackground(config);
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        HerdServer server = new HerdServer(config);
        InetSocketAddress bound;
        try {
            bound = server.bind(early);
        } catch (HerdServer.BindFailedException e) {
            fail(System.err, "cannot listen on " + e.getMessage());
            return;
        }
        // Log nothing before log4j2 is configured: lines logged during its start would be lost.
        joinUninterruptibly(logging);
        ServerThreads.tagCurrentThread(config.name(), config.logFile().toString());
        InternalLoggerFactory.setDefaultFactory(Log4J2LoggerFactory.INSTANCE);
        server.serve();
        server.connectPeers();
        System.out.println(config.name() + " listening on " + bound.getHostString() + ":" + bound.getPort()
                + ", log " + config.logFile());
        awaitUninterruptibly(stop);
        // Owed replies get as long as the slowest of them can take: the Places deadline, and a second.
        server.stop(config.placesDeadline().plusSeconds(1));
        LogManager.shutdown();
        System.exit(EXIT_OK);
    }

    /**
     * Starts log4j2 on another thread (it takes longer than binding) while the main thread binds with
     * Netty logging through java.util.logging; nothing on the bind path waits for it.
     */
    private static Thread startLoggingInBackground(HerdConfig config) {
        Thread init = new Thread(() -> {
            ServerThreads.tagCurrentThread(config.name(), config.logFile().toString());
            LogManager.getLogger(Main.class).debug("logging started");
        }, config.name() + "-log-init");
        init.setDaemon(true);
        init.start();
        return init;
    }

    private static void joinUninterruptibly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitUninterruptibly(CountDownLatch stop) {
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void fail(PrintStream err, String message) {
        err.println("herd-server: " + message);
        LogManager.shutdown();
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
        URI placesUrl = null;
        Long placesTimeout = null;
        Long placesConnectTimeout = null;
        Long placesDeadline = null;
        Long placesCacheTtl = null;
        Path placesCa = null;
        Integer maxLine = null;
        Integer maxOwed = null;
        Integer maxConnections = null;
        Long idleTimeout = null;
        Integer placesConcurrency = null;
        Path dataDir = null;
        Journal.Fsync fsync = null;
        Integer ioThreads = null;
        Transport transport = null;
        PlacesApi placesApi = null;
        Path logDir = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> throw new HelpRequested();
                case "--config" -> configFile = Path.of(value(args, ++i, arg));
                case "--places-url" -> placesUrl = uri(value(args, ++i, arg));
                case "--places-timeout" -> placesTimeout = number(value(args, ++i, arg), arg);
                case "--places-connect-timeout" -> placesConnectTimeout = number(value(args, ++i, arg), arg);
                case "--places-deadline" -> placesDeadline = number(value(args, ++i, arg), arg);
                case "--places-cache-ttl" -> placesCacheTtl = number(value(args, ++i, arg), arg);
                case "--places-ca" -> placesCa = Path.of(value(args, ++i, arg));
                case "--max-line-length" -> maxLine = (int) number(value(args, ++i, arg), arg);
                case "--max-owed-replies" -> maxOwed = (int) number(value(args, ++i, arg), arg);
                case "--max-connections" -> maxConnections = (int) number(value(args, ++i, arg), arg);
                case "--idle-timeout" -> idleTimeout = number(value(args, ++i, arg), arg);
                case "--places-concurrency" -> placesConcurrency = (int) number(value(args, ++i, arg), arg);
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
                case "--fsync" -> fsync = fsync(value(args, ++i, arg));
                case "--io-threads" -> ioThreads = (int) number(value(args, ++i, arg), arg);
                case "--log-dir" -> logDir = Path.of(value(args, ++i, arg));
                case "--transport" -> transport = transport(value(args, ++i, arg));
                case "--places-api" -> placesApi = placesApi(value(args, ++i, arg));
                default -> {
                    if (arg.startsWith("-")) {
                        throw new ConfigException("unknown option " + arg + " (see --help)");
                    }
                    if (name != null) {
                        throw new ConfigException("one server name expected, got " + name + " and " + arg);
                    }
                    name = arg;
                }
            }
        }
        if (name == null) {
            throw new ConfigException("missing server NAME (see --help)");
        }
        Topology topology = configFile == null ? Topology.defaultHerd() : TopologyFile.read(configFile);
        HerdConfig.Builder builder = HerdConfig.builder(topology, name).placesUrl(placesUrl).placesKey(placesKey);
        builder.secret(secret(herdSecret, configFile));
        if (configFile != null) {
            TopologyFile.tls(configFile).ifPresent(builder::tls);
        }
        if (placesTimeout != null) {
            builder.placesTimeout(Duration.ofMillis(placesTimeout));
        }
        if (placesConnectTimeout != null) {
            builder.placesConnectTimeout(Duration.ofMillis(placesConnectTimeout));
        }
        if (placesDeadline != null) {
            builder.placesDeadline(Duration.ofMillis(placesDeadline));
        }
        if (placesCacheTtl != null) {
            builder.placesCacheTtl(Duration.ofMillis(placesCacheTtl));
        }
        builder.placesCa(placesCa);
        if (maxLine != null) {
            builder.maxLineLength(maxLine);
        }
        if (maxOwed != null) {
            builder.maxOwedReplies(maxOwed);
        }
        if (maxConnections != null) {
            builder.maxConnections(maxConnections);
        }
        if (idleTimeout != null) {
            builder.idleTimeout(Duration.ofMillis(idleTimeout));
        }
        if (placesConcurrency != null) {
            builder.placesConcurrency(placesConcurrency);
        }
        builder.dataDir(dataDir);
        if (fsync != null) {
            builder.fsync(fsync);
        }
        if (ioThreads != null) {
            builder.ioThreads(ioThreads);
        }
        if (logDir != null) {
            builder.logDir(logDir);
        }
        if (transport != null) {
            builder.transport(transport);
        }
        if (placesApi != null) {
            builder.placesApi(placesApi);
        }
        return builder.build();
    }

    /** HERD_SECRET if set, else the config's secret_file, else none. */
    private static HerdSecret secret(String fromEnvironment, Path configFile) throws ConfigException {
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return new HerdSecret(fromEnvironment.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (configFile == null) {
            return null;
        }
        java.util.Optional<Path> file = TopologyFile.secretFile(configFile);
        if (file.isEmpty()) {
            return null;
        }
        try {
            byte[] bytes = java.nio.file.Files.readAllBytes(file.get());
            String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw new ConfigException("secret_file " + file.get() + ": empty");
            }
            return new HerdSecret(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new ConfigException("secret_file " + file.get() + ": cannot read (" + e.getClass().getSimpleName() + ")");
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

    private static Transport transport(String text) throws ConfigException {
        try {
            return Transport.named(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--transport: " + text + " (expected: nio or epoll"
                    + (text.equalsIgnoreCase("epoll") ? "; " + e.getMessage() : "") + ")");
        }
    }

    private static Journal.Fsync fsync(String text) throws ConfigException {
        try {
            return Journal.Fsync.named(text);
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
            throw new ConfigException("--places-url: " + text + " (expected: an http:// or https:// URL)");
        }
    }

    /** The user asked for --help. */
    static final class HelpRequested extends Exception {
        HelpRequested() {
            super(null, null, false, false);
        }
    }
}
