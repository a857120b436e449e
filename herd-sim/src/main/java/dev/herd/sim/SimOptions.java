package dev.herd.sim;

import dev.herd.server.config.ConfigException;
import dev.herd.server.config.Dissemination;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One simulation's settings, as {@code ./herd simulate} takes them. Every option is in {@link #HELP};
 * {@link #parse} refuses what does not fit with a message naming the option and the value.
 */
record SimOptions(int servers, String topology, Dissemination dissemination, long seed, int updates, double rate, int warmup, Duration delay, double loss,
                  double cutFraction, Duration cutAt, Duration healAt, int kill, Duration killAt, Duration restartAt,
                  Duration settle, boolean journal, List<Format> formats, Path output, Path chart, boolean keepLogs) {

    enum Format { TEXT, JSON }

    static final String HELP = """
            Usage: ./herd simulate [options]

            Runs N real herd servers in this JVM on loopback, linked as a generated topology, sends U updates
            (IAMATs with client ids sim-0 .. sim-(U-1)) to servers picked at random at a given rate, and
            reports what the herd did with them: update messages and bytes on the links per update (beside
            the optimum, N - 1), duplicates received, the time from the first server keeping an update to the
            last running server keeping it (p50, p99, max), updates some running server never got, and
            messages received per server. Links run through the testkit's relays (one thread for all), which
            is where delay, loss and cuts are made.

              --servers N          servers in the herd (default 5)
              --topology T         %s
                                   (default: default, the five-server herd)
              --dissemination D    flood (the default) or tree: how the servers pass updates on (the
                                   config's "dissemination"; tree is Plumtree, docs/SCALE.md)
              --seed S             seed for the topology, the workload and the faults (default 1)
              --updates U          updates to send (default 1000)
              --rate R             updates per second, spread over the run (default 200)
              --warmup W           updates sent first at the same rate and not measured, so that the
                                   servers' code is compiled when measuring starts (default 200)
              --delay MS           delay every link by MS milliseconds, both ways (default 0)
              --loss F             drop a fraction F (0 to 1) of the updates on every link (default 0);
                                   anti-entropy repairs what is dropped
              --cut F              cut a fraction F of the links, chosen at random, during the run (default 0)
              --cut-at S           seconds into the workload when they are cut (default: a quarter of it)
              --heal-at S          seconds into the workload when they are healed (default: three quarters)
              --kill K             kill K servers, chosen at random, during the run (default 0)
              --kill-at S          seconds into the workload when they are killed (default: a quarter of it)
              --restart-at S       seconds into the workload when they start again (default: half)
              --journal            give every server a journal (the server's --data-dir, in the run's
                                   folder), so that a killed server starts again with what it held;
                                   without it a killed server starts empty, and an update that only
                                   killed servers held when they died (acknowledged, not yet passed on)
                                   is lost, and reported so
              --settle S           after the workload, wait at most S seconds for every running server to
                                   hold every update (default 30)
              --format F[,F]       text, json or both (default text)
              --output FILE        write the report here as well as to standard output
              --chart FILE.png     draw the time to reach every server (its distribution) and the
                                   update messages each server received
              --keep-logs          keep the servers' event logs (a temporary folder) even when every
                                   update arrived; they are always kept when some did not
              --help               this text

            Exit status: 0 when every update reached every running server, 1 when some did not, 2 for a
            bad option.
            """.formatted(Topologies.SHAPES);

    /** The options in {@code args}; fault times not given are set from the workload's length. */
    static SimOptions parse(String[] args) {
        int servers = 5;
        String topology = "default";
        Dissemination dissemination = Dissemination.FLOOD;
        long seed = 1;
        int updates = 1000;
        double rate = 200;
        int warmup = 200;
        Duration delay = Duration.ZERO;
        double loss = 0;
        double cut = 0;
        Duration cutAt = null;
        Duration healAt = null;
        int kill = 0;
        Duration killAt = null;
        Duration restartAt = null;
        Duration settle = Duration.ofSeconds(30);
        List<Format> formats = List.of(Format.TEXT);
        Path output = null;
        Path chart = null;
        boolean keepLogs = false;
        boolean journal = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                throw new HelpRequested();
            }
            if (option.equals("--keep-logs")) {
                keepLogs = true;
                continue;
            }
            if (option.equals("--journal")) {
                journal = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option.startsWith("--") ? option + " needs a value" : "unknown argument " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--servers" -> servers = (int) number(option, value, 2, 1000);
                case "--topology" -> topology = value;
                case "--dissemination" -> dissemination = dissemination(value);
                case "--seed" -> seed = seed(value);
                case "--updates" -> updates = (int) number(option, value, 1, 10_000_000);
                case "--rate" -> rate = number(option, value, 0.001, 1_000_000);
                case "--warmup" -> warmup = (int) number(option, value, 0, 10_000_000);
                case "--delay" -> delay = Duration.ofMillis((long) number(option, value, 0, 60_000));
                case "--loss" -> loss = number(option, value, 0, 1);
                case "--cut" -> cut = number(option, value, 0, 1);
                case "--cut-at" -> cutAt = seconds(option, value);
                case "--heal-at" -> healAt = seconds(option, value);
                case "--kill" -> kill = (int) number(option, value, 0, 1000);
                case "--kill-at" -> killAt = seconds(option, value);
                case "--restart-at" -> restartAt = seconds(option, value);
                case "--settle" -> settle = seconds(option, value);
                case "--format" -> formats = formats(value);
                case "--output" -> output = Path.of(value);
                case "--chart" -> chart = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + option + " (see --help)");
            }
        }
        if (kill >= servers) {
            throw new IllegalArgumentException("--kill " + kill + ": at least one of the " + servers + " servers must stay up");
        }
        Duration run = Duration.ofNanos((long) (updates / rate * 1e9));
        cutAt = cutAt != null ? cutAt : run.dividedBy(4);
        healAt = healAt != null ? healAt : run.multipliedBy(3).dividedBy(4);
        killAt = killAt != null ? killAt : run.dividedBy(4);
        restartAt = restartAt != null ? restartAt : run.dividedBy(2);
        if (healAt.compareTo(cutAt) < 0 || restartAt.compareTo(killAt) < 0) {
            throw new IllegalArgumentException("--heal-at must not come before --cut-at, nor --restart-at before --kill-at");
        }
        return new SimOptions(servers, topology, dissemination, seed, updates, rate, warmup, delay, loss, cut, cutAt, healAt, kill, killAt,
                restartAt, settle, journal, formats, output, chart, keepLogs);
    }

    private static double number(String option, String value, double min, double max) {
        double n;
        try {
            n = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            n = Double.NaN;
        }
        if (!(n >= min && n <= max)) {
            throw new IllegalArgumentException(option + " " + value + " (expected a number from " + plain(min) + " to " + plain(max) + ")");
        }
        return n;
    }

    private static Dissemination dissemination(String value) {
        try {
            return Dissemination.parse(value);
        } catch (ConfigException e) {
            throw new IllegalArgumentException("--dissemination " + value + " (expected flood or tree)", e);
        }
    }

    private static long seed(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--seed " + value + " (expected a whole number)");
        }
    }

    private static Duration seconds(String option, String value) {
        return Duration.ofNanos((long) (number(option, value, 0, 86_400) * 1e9));
    }

    private static List<Format> formats(String value) {
        List<Format> formats = new ArrayList<>();
        for (String f : value.split(",")) {
            try {
                formats.add(Format.valueOf(f.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--format " + value + " (expected text, json or text,json)");
            }
        }
        return List.copyOf(formats);
    }

    private static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /** --help was asked for: print {@link #HELP} and exit 0. */
    static final class HelpRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HelpRequested() {
            super("help", null, false, false);
        }
    }
}
