package dev.herd.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herd.server.internal.BuildInfo;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar herd-load.jar}: load for a herd on Netty, every reply checked, throughput and
 * latency percentiles (HdrHistogram) printed once a second and summed up at the end. See
 * {@link LoadOptions#USAGE} for the options; {@code --propagation} measures how long an IAMAT takes
 * to reach another server.
 */
public final class HerdLoad {
    private static final long PRIME_TIMEOUT_SECONDS = 30;
    private static final long DRAIN_SECONDS = 5;

    private HerdLoad() {
    }

    /** Exit codes: 0 all replies matched, 1 errors or a failed run, 2 bad options. */
    public static void main(String[] args) throws Exception {
        System.exit(exitCode(args));
    }

    private static int exitCode(String[] args) throws Exception {
        if (List.of(args).contains("--version") || List.of(args).contains("-V")) {
            System.out.println(BuildInfo.versionLine("herd-load"));
            return 0;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (LoadOptions.UsageException e) {
            if (e.getMessage() == null) {
                System.out.print(LoadOptions.USAGE);
                return 0;
            }
            System.err.println("herd-load: " + e.getMessage() + " (see --help)");
            return 2;
        }
        try {
            return run(options);
        } catch (IOException | RuntimeException e) {
            System.err.println("herd-load: " + e);
            return 1;
        }
    }

    static int run(LoadOptions options) throws Exception {
        Workload workload = new Workload(options);
        LoadRun run = new LoadRun(options.requests(), options.rate() > 0);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(options.threads(),
                new DefaultThreadFactory("herd-load", true), NioIoHandler.newFactory());
        try {
            List<LoadConnection> connections = connect(options, workload, run, group);
            System.out.printf(Locale.ROOT, "herd-load: %d connections to %s; priming %d client ids ...%n",
                    connections.size(), String.join(",", options.names()), workload.clients());
            prime(workload, run, connections);
            if (options.rate() > 0) {
                pace(options, connections);
            }
            if (options.propagationFrom() != null) {
                run.phase(LoadRun.Phase.WARMUP);
                if (!run.paced()) {
                    connections.forEach(c -> c.runOnLoop(c::kick));
                }
                Propagation probe = new Propagation(options);
                Histogram latency = probe.measure();
                run.phase(LoadRun.Phase.DRAINING);
                run.finish();
                probe.print(latency, run);
                return probe.failures() > 0 || run.errors() > 0 ? 1 : 0;
            }
            measure(options, run, connections);
            Summary summary = new Summary(options, run);
            summary.print();
            if (options.json() != null) {
                summary.writeJson();
            }
            return run.errors() > 0 ? 1 : 0;
        } finally {
            run.finish();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private static List<LoadConnection> connect(LoadOptions options, Workload workload, LoadRun run, EventLoopGroup group)
            throws IOException {
        List<InetSocketAddress> targets = new ArrayList<>(options.targets().values());
        List<LoadConnection> connections = new ArrayList<>();
        for (int i = 0; i < options.connections(); i++) {
            LoadConnection connection = new LoadConnection(workload, run, options.pipeline());
            Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new LineBasedFrameDecoder(1 << 20), connection);
                        }
                    })
                    .connect(targets.get(i % targets.size())).awaitUninterruptibly().channel();
            if (!ch.isActive()) {
                throw new IOException("cannot connect to " + targets.get(i % targets.size()));
            }
            connections.add(connection);
        }
        return connections;
    }

    /** Introduces every client id with one IAMAT, so that WHATSATs in the load find a record. */
    private static void prime(Workload workload, LoadRun run, List<LoadConnection> connections) throws InterruptedException {
        for (int i = 0; i < workload.clients(); i++) {
            LoadConnection c = connections.get(i % connections.size());
            Workload.Request request = workload.prime(i);
            c.runOnLoop(() -> {
                c.send(request);
                c.flushNow();
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PRIME_TIMEOUT_SECONDS);
        while (run.primed() < workload.clients() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        if (run.primed() < workload.clients()) {
            throw new IllegalStateException("only " + run.primed() + " of " + workload.clients() + " priming IAMATs answered");
        }
        // A moment for the floods of the priming IAMATs to reach every server.
        TimeUnit.MILLISECONDS.sleep(200);
    }

    private static void pace(LoadOptions options, List<LoadConnection> connections) {
        long periodNanos = (long) (1e9 * connections.size() / options.rate());
        for (int i = 0; i < connections.size(); i++) {
            LoadConnection c = connections.get(i);
            long offset = periodNanos * i / connections.size();
            c.runOnLoopAtFixedRate(c::sendPaced, offset, Math.max(1, periodNanos));
        }
    }

    private static void measure(LoadOptions options, LoadRun run, List<LoadConnection> connections)
            throws InterruptedException {
        run.phase(LoadRun.Phase.WARMUP);
        if (!run.paced()) {
            // Closed loop: kick each connection; replies keep it going.
            connections.forEach(c -> c.runOnLoop(c::kick));
        }
        // One progress line a second: a long warm-up is not a silent one.
        long warmupStart = System.nanoTime();
        for (int second = 1; (System.nanoTime() - warmupStart) / 1e9 < options.warmupSeconds(); second++) {
            sleepSeconds(Math.min(1, options.warmupSeconds() - (System.nanoTime() - warmupStart) / 1e9));
            Histogram h = run.interval();
            System.out.printf(Locale.ROOT, "warm-up %ds of %.0f  %6d replies/s  p50 %6d us  p99 %6d us  errors %d%n", second,
                    options.warmupSeconds(), h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99), run.errors());
        }
        run.interval();
        run.phase(LoadRun.Phase.MEASURING);
        long start = System.nanoTime();
        long lastReplies = 0;
        double limit = options.requests() > 0 ? Double.MAX_VALUE : options.durationSeconds();
        for (int second = 1; (System.nanoTime() - start) / 1e9 < limit; second++) {
            sleepSeconds(Math.min(1, limit - (System.nanoTime() - start) / 1e9));
            Histogram h = run.interval();
            long replies = run.replies();
            System.out.printf(Locale.ROOT, "%4ds  %10d replies/s  p50 %6d us  p99 %6d us  errors %d%n", second,
                    replies - lastReplies, h.getValueAtPercentile(50), h.getValueAtPercentile(99), run.errors());
            lastReplies = replies;
            if (options.requests() > 0 && replies >= options.requests()) {
                break;
            }
        }
        run.phase(LoadRun.Phase.DRAINING);
        run.measuredSeconds((System.nanoTime() - start) / 1e9);
        long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
        while (connections.stream().mapToInt(LoadConnection::outstanding).sum() > 0 && System.nanoTime() < drainEnd) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        run.interval();
        run.finish();
    }

    private static void sleepSeconds(double seconds) throws InterruptedException {
        if (seconds > 0) {
            TimeUnit.MICROSECONDS.sleep((long) (seconds * 1e6));
        }
    }

    /** The end-of-run report, printed and optionally written as JSON. */
    private record Summary(LoadOptions options, LoadRun run) {
        void print() {
            Histogram h = run.total();
            System.out.printf(Locale.ROOT, "%nherd-load: %d connections to %s, pipeline %d, mix iamat=%d,whatsat=%d,bad=%d, %.1f s measured%n",
                    options.connections(), String.join(",", options.names()), options.pipeline(), options.iamatPercent(),
                    options.whatsatPercent(), options.badPercent(), run.measuredSeconds());
            System.out.printf(Locale.ROOT, "replies %d (iamat %d, whatsat %d, bad %d), errors %d, unsent %d%n",
                    run.replies(), run.replies(Workload.Kind.IAMAT), run.replies(Workload.Kind.WHATSAT),
                    run.replies(Workload.Kind.BAD), run.errors(), run.unsentCount());
            System.out.printf(Locale.ROOT, "throughput %.0f replies/s%n", run.replies() / run.measuredSeconds());
            System.out.printf(Locale.ROOT, "latency us: p50 %d  p90 %d  p99 %d  p99.9 %d  max %d%n",
                    h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
                    h.getValueAtPercentile(99.9), h.getMaxValue());
        }

        void writeJson() throws IOException {
            Histogram h = run.total();
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = json.createObjectNode();
            root.put("connections", options.connections());
            root.put("pipeline", options.pipeline());
            root.put("targets", String.join(",", options.names()));
            root.put("mix", "iamat=" + options.iamatPercent() + ",whatsat=" + options.whatsatPercent() + ",bad=" + options.badPercent());
            root.put("measured_seconds", run.measuredSeconds());
            root.put("replies", run.replies());
            root.put("errors", run.errors());
            root.put("unsent", run.unsentCount());
            root.put("throughput_per_second", run.replies() / run.measuredSeconds());
            ObjectNode latency = root.putObject("latency_us");
            latency.put("p50", h.getValueAtPercentile(50));
            latency.put("p90", h.getValueAtPercentile(90));
            latency.put("p99", h.getValueAtPercentile(99));
            latency.put("p99_9", h.getValueAtPercentile(99.9));
            latency.put("max", h.getMaxValue());
            json.writeValue(options.json().toFile(), root);
        }
    }
}
