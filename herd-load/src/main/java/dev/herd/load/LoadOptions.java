package dev.herd.load;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The load generator's command line, read once into one immutable object. */
record LoadOptions(Map<String, InetSocketAddress> targets, int connections, int pipeline, double durationSeconds,
                   long requests, double warmupSeconds, int clients, int iamatPercent, int whatsatPercent,
                   int badPercent, String radius, int bound, double rate, int threads, Path json,
                   String propagationFrom, String propagationTo, int probes, boolean allowRemote) {

    static final String USAGE = """
            Usage: java -jar herd-load.jar [options]

            Load for a herd, every reply checked, latency percentiles from HdrHistogram.

              --target NAME=HOST:PORT  a server to load (repeatable); connections go round-robin
              --allow-remote           let --target name a server on another machine (loopback only
                                       without it: the load is real traffic on a real network)
              --herd                   the default herd: Hill..Singleton on 127.0.0.1:12205-12209
              --connections N          TCP connections (default 50)
              --pipeline D             requests outstanding per connection (default 1)
              --duration S             measured seconds (default 10)
              --requests N             stop after N measured requests instead
              --warmup S               seconds of load before measuring (default 5)
              --clients K              distinct client ids (default 1000); each gets one IAMAT first
              --mix iamat=90,whatsat=10[,bad=0]   request mix in percent (default iamat=100)
              --radius KM --bound N    WHATSAT arguments (default 10 5)
              --rate R                 pace the load at R requests/s in total (default: as fast as replies come)
              --threads T              event loop threads (default 1)
              --json FILE              also write the summary as JSON
              --propagation FROM=TO    propagation mode: IAMAT at FROM, time until TO serves it, under the
                                       load above as background (use --rate); --probes N (default 1000)
              -V, --version            the versions of the herd and of Java
              -h, --help               this text

            A reply is an error if an IAMAT's is not an AT line echoing the client's fields, or a
            WHATSAT's is not an AT line and JSON ending in a blank line. Loopback targets only,
            unless --allow-remote. Priming and warm-up are shown as they go, one line a second.
            """;

    static LoadOptions parse(String[] args) {
        Map<String, InetSocketAddress> targets = new LinkedHashMap<>();
        int connections = 50;
        int pipeline = 1;
        double duration = 10;
        long requests = 0;
        double warmup = 5;
        int clients = 1000;
        int[] mix = {100, 0, 0};
        String radius = "10";
        int bound = 5;
        double rate = 0;
        int threads = 1;
        Path json = null;
        String from = null;
        String to = null;
        int probes = 1000;
        boolean allowRemote = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> throw new UsageException(null);
                case "--target" -> target(targets, value(args, ++i, a));
                case "--herd" -> {
                    String[] names = {"Hill", "Jaquez", "Smith", "Campbell", "Singleton"};
                    for (int k = 0; k < names.length; k++) {
                        targets.put(names[k], new InetSocketAddress("127.0.0.1", 12205 + k));
                    }
                }
                case "--connections" -> connections = (int) positive(value(args, ++i, a), a);
                case "--pipeline" -> pipeline = (int) positive(value(args, ++i, a), a);
                case "--duration" -> duration = decimal(value(args, ++i, a), a);
                case "--requests" -> requests = positive(value(args, ++i, a), a);
                case "--warmup" -> warmup = decimal(value(args, ++i, a), a);
                case "--clients" -> clients = (int) positive(value(args, ++i, a), a);
                case "--mix" -> mix = mix(value(args, ++i, a));
                case "--radius" -> radius = value(args, ++i, a);
                case "--bound" -> bound = (int) positive(value(args, ++i, a), a);
                case "--rate" -> rate = decimal(value(args, ++i, a), a);
                case "--threads" -> threads = (int) positive(value(args, ++i, a), a);
                case "--json" -> json = Path.of(value(args, ++i, a));
                case "--propagation" -> {
                    String[] fromTo = value(args, ++i, a).split("=", 2);
                    if (fromTo.length != 2) {
                        throw new UsageException("--propagation: expected FROM=TO");
                    }
                    from = fromTo[0];
                    to = fromTo[1];
                }
                case "--allow-remote" -> allowRemote = true;
                case "--probes" -> probes = (int) positive(value(args, ++i, a), a);
                default -> throw new UsageException("unknown option " + a);
            }
        }
        if (targets.isEmpty()) {
            throw new UsageException("no target: give --target NAME=HOST:PORT or --herd");
        }
        if (!allowRemote) {
            for (Map.Entry<String, InetSocketAddress> t : targets.entrySet()) {
                if (!t.getValue().getAddress().isLoopbackAddress()) {
                    throw new UsageException("--target: " + t.getKey() + "=" + t.getValue().getHostString() + ":" + t.getValue().getPort()
                            + " is not a loopback address (--allow-remote loads a server on another machine)");
                }
            }
        }
        if (from != null && (!targets.containsKey(from) || !targets.containsKey(to))) {
            throw new UsageException("--propagation: " + from + " and " + to + " must both be targets");
        }
        return new LoadOptions(targets, connections, pipeline, duration, requests, warmup, clients, mix[0], mix[1],
                mix[2], radius, bound, rate, threads, json, from, to, probes, allowRemote);
    }

    List<String> names() {
        return new ArrayList<>(targets.keySet());
    }

    private static void target(Map<String, InetSocketAddress> targets, String spec) {
        int eq = spec.indexOf('=');
        int colon = spec.lastIndexOf(':');
        if (eq < 1 || colon < eq) {
            throw new UsageException("--target: " + spec + " (expected: NAME=HOST:PORT)");
        }
        String host = spec.substring(eq + 1, colon);
        int port = (int) positive(spec.substring(colon + 1), "--target port");
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new UsageException("--target: " + spec + " (cannot resolve " + host + ")");
        }
        targets.put(spec.substring(0, eq), address);
    }

    private static int[] mix(String spec) {
        int[] mix = new int[3];
        for (String part : spec.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                throw new UsageException("--mix: " + spec + " (expected: iamat=90,whatsat=10)");
            }
            int pct = (int) positive(kv[1], "--mix " + kv[0]);
            switch (kv[0]) {
                case "iamat" -> mix[0] = pct;
                case "whatsat" -> mix[1] = pct;
                case "bad" -> mix[2] = pct;
                default -> throw new UsageException("--mix: unknown kind " + kv[0] + " (expected: iamat, whatsat, bad)");
            }
        }
        if (mix[0] + mix[1] + mix[2] != 100) {
            throw new UsageException("--mix: " + spec + " adds up to " + (mix[0] + mix[1] + mix[2]) + " (expected: 100)");
        }
        return mix;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UsageException(option + ": missing value");
        }
        return args[i];
    }

    private static long positive(String text, String option) {
        try {
            long n = Long.parseLong(text);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": " + text + " (expected: a whole number, 0 or more)");
        }
    }

    private static double decimal(String text, String option) {
        try {
            double d = Double.parseDouble(text);
            if (d < 0 || Double.isNaN(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": " + text + " (expected: a number, 0 or more)");
        }
    }

    /** A command line the generator cannot run; null message for --help. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
