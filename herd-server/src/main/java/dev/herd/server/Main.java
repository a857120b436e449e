package dev.herd.server;

import dev.herd.server.config.ConfigException;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.internal.Fatal;
import dev.herd.server.internal.ServerThreads;
import dev.herd.server.internal.StartupWork;
import dev.herd.server.log.NettyLog;
import dev.herd.server.log.ProtocolLog;
import dev.herd.server.log.ServerLog;
import io.netty.util.internal.logging.InternalLoggerFactory;
import org.apache.logging.log4j.LogManager;
import org.jspecify.annotations.Nullable;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

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
            config = ServerOptions.parse(args, System.getenv("PLACES_API_KEY"), System.getenv("HERD_SECRET"));
        } catch (ServerOptions.HelpRequested e) {
            System.out.print(e.text());
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
            } catch (IOException | RuntimeException e) {
                fail(System.err, "cannot create the log file " + file + " (" + e + "); --log-dir sets its folder");
                return;
            }
        }
        // SIGHUP's default would end the process: a reload sent while it starts must not.
        AtomicReference<HerdServer> reloadable = new AtomicReference<>();
        // A process started with SIGHUP ignored (nohup) keeps it ignored: the JVM does not install a handler
        // for it, and says so only by handing back SIG_IGN. Said in the log once it is open (below).
        boolean hangUpIgnored = Signal.handle(new Signal("HUP"), s -> reload(reloadable.get(), args)) == SignalHandler.SIG_IGN;
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
        } catch (IOException | RuntimeException e) {
            early.close();
            fail(System.err, "cannot write the log files in " + config.logs().dir() + " (" + e + "); --log-dir sets their folder");
            return;
        }
        ServerLog.deferUntilReady(events);
        if (early.clientsInherited()) {
            ServerLog.of(Main.class).info("client port {} taken over from the socket listening on standard input (it was"
                    + " listening before this process started)", early.clients().address());
        }
        if (hangUpIgnored) {
            ServerLog.of(Main.class).warn("SIGHUP is ignored in this process (started under nohup?): a reload (./herd reload,"
                    + " kill -HUP) cannot reach it; start it with setsid or a service manager to reload without a restart");
        }
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
            ServerLog.of(Main.class).error("cannot start: {}", e.getMessage());
            lines.close();
            events.close();
            fail(System.err, "cannot start: " + (e instanceof StartFailedException ? e.getMessage() : e.toString()));
            return;
        }
        startLoggingSoon(config);
        // From here a SIGHUP reloads: before the line below, which tools wait for.
        reloadable.set(server);
        ServerSpec self = config.self();
        // A wildcard host is printed as configured, and the status page at the address others reach it at.
        String listening = ServerSpec.isWildcard(self.host()) ? self.host() : bound.getHostString();
        System.out.println(config.name() + " listening on " + listening + ":" + bound.getPort()
                + (self.advertise().equals(self.host()) ? "" : " (advertised as " + self.advertise() + ")")
                + ", peers on " + server.peerAddress().getPort()
                + server.adminAddress().map(a -> ", status page http://" + self.adminReachHost() + ":" + a.getPort() + "/").orElse("")
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

    /**
     * SIGHUP: reads the config again, as at start (the same arguments, files and environment), and
     * applies its topology to the running server; a config that fails is refused with one log line and
     * the running one stays, as nginx does.
     */
    private static void reload(@Nullable HerdServer server, String[] args) {
        ServerLog log = ServerLog.of(Main.class);
        if (server == null) {
            log.warn("reload ignored: the server is still starting (it reads its config as it starts)");
            return;
        }
        try {
            log.info("{}", server.reload(ServerOptions.parse(args, System.getenv("PLACES_API_KEY"), System.getenv("HERD_SECRET"))));
        } catch (ConfigException | ServerOptions.HelpRequested e) {
            log.warn("reload refused, the running config stays: {}", e.getMessage());
        } catch (RuntimeException e) {
            // A bug, not the file: said in the log; the server keeps serving with the links it has.
            log.error("reload failed: {}", e.toString());
        }
    }

    /** How long a stopping server waits for the replies it owes clients before it closes their connections. */
    static final Duration STOP_DRAIN = Duration.ofMillis(500);

    /**
     * Starts log4j2 on a thread of its own {@link StartupWork#DEFERRED} after serving, then hands it the
     * events logged meanwhile. Starting it costs about 1.3 s of CPU with its compiling (docs/PERFORMANCE.md), more than the
     * server's first replies and links need; until then the server's own log writer puts the events in
     * the same file, in the same layout, rotated the same way ({@link ServerLog}).
     */
    private static void startLoggingSoon(HerdConfig config) {
        Thread init = new Thread(() -> {
            try {
                TimeUnit.MILLISECONDS.sleep(StartupWork.DEFERRED.toMillis());
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

}
