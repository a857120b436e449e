package dev.herd.server;

import dev.herd.server.config.ByteSize;
import dev.herd.server.config.ConfigException;
import dev.herd.server.config.Fsync;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.HerdConfigBuilder;
import dev.herd.server.config.HerdSecrets;
import dev.herd.server.config.PlacesApi;
import dev.herd.server.config.Redact;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import dev.herd.server.config.TopologyFile;
import dev.herd.server.internal.BuildInfo;
import dev.herd.server.internal.Transport;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * {@code herd-server}'s command line, read into one {@link HerdConfig}: every option's value is read
 * and checked as it comes, with a one-line message naming the option and what it expects, and applied
 * once the topology is known. Hand-written rather than picocli: a server must listen within about 100 ms
 * of its JVM starting, and this loads no class beyond the config's.
 */
final class ServerOptions {
    /** The --help text, in the jar beside the code: read only when asked for. */
    static String usage() {
        try (var in = ServerOptions.class.getResourceAsStream("/herd-server-usage.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            return "herd-server: the usage text is missing from the jar (" + e + ")\n";
        }
    }

    private ServerOptions() {
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
                case "-h", "--help" -> throw new HelpRequested(false);
                case "-V", "--version" -> throw new HelpRequested(true);
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
        builder.secret(HerdSecrets.read(herdSecret, configFile));
        if (configFile != null) {
            TopologyFile.tls(configFile).ifPresent(builder::tls);
            TopologyFile.linesLog(configFile).ifPresent(l -> builder.linesLogFileBytes(l.fileBytes()).linesLogFiles(l.files()));
            TopologyFile.dissemination(configFile).ifPresent(builder::dissemination);
        }
        options.forEach(option -> option.accept(builder));
        return builder.build();
    }

    /** Every option that takes a value, besides --config. */
    private static final Set<String> OPTIONS = Set.of("--places-url", "--places-api", "--places-ca",
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
                int port = "off".equals(value) ? ServerSpec.ADMIN_OFF : (int) number(value, option);
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
        return ByteSize.parse(text, option);
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
            throw new ConfigException("--places-url: " + Redact.url(text) + " (expected: an http:// or https:// URL)");
        }
    }

    /** The user asked for --help, or for --version. */
    static final class HelpRequested extends Exception {
        private final boolean version;

        HelpRequested(boolean version) {
            super(null, null, false, false);
            this.version = version;
        }

        /** What to print: the version line or the usage text. */
        String text() {
            return version ? BuildInfo.versionLine("herd-server") + "\n" : usage();
        }
    }
}
