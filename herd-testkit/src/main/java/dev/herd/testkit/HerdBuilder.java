package dev.herd.testkit;

import dev.herd.server.HerdServer;
import dev.herd.server.config.ConfigException;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.HerdConfigBuilder;
import dev.herd.server.config.HerdSecret;
import dev.herd.server.config.PlacesApi;
import dev.herd.server.config.PlacesSettings;
import dev.herd.server.config.Topology;
import dev.herd.server.config.TopologyFile;
import dev.herd.server.store.UpdateListener;
import dev.herd.testing.FakePlaces;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * How to start a {@link Herd}: its topology and log folder, and settings for every server's config,
 * applied to the server's own {@link HerdConfigBuilder} (so the kit holds no copy of them).
 */
public final class HerdBuilder {
    private Topology topology = Topology.defaultHerd();
    private Path logDir = Path.of(System.getProperty("herd.logDir", "target/herd-logs"));
    /** Applied to each server's config, in order; Places settings only once a Places URL is set. */
    private final List<Consumer<HerdConfigBuilder>> settings = new ArrayList<>(List.of(c -> c.ioThreads(2)));
    private final List<Consumer<HerdConfigBuilder>> placesSettings = new ArrayList<>();
    private boolean placesUrlSet;
    private Function<String, UpdateListener> observers = name -> UpdateListener.NONE;

    HerdBuilder() {
    }

    Topology topology() {
        return topology;
    }

    Path logDir() {
        return logDir;
    }

    /**
     * Server {@code name} of {@code topology} (its ports as given: 0 for ephemeral), with these settings,
     * its logs in {@code logDir}, finding its peers and the other admin endpoints as told.
     */
    HerdServer newServer(Topology topology, String name, Path logDir, Function<String, InetSocketAddress> peers,
                         Function<String, InetSocketAddress> admins) {
        try {
            HerdConfigBuilder config = HerdConfig.builder(topology, name).logDir(logDir);
            configure(config);
            HerdServer server = new HerdServer(config.build(), peers, admins);
            server.observeUpdates(observers.apply(name));
            return server;
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Applies these settings to one server's config. */
    private void configure(HerdConfigBuilder config) {
        settings.forEach(s -> s.accept(config));
        if (placesUrlSet) {
            placesSettings.forEach(s -> s.accept(config));
        }
        // A deadline shorter than one attempt is refused by the server; the kit's shorter timeouts keep it valid.
        PlacesSettings places = config.placesSettings();
        if (places.deadline().compareTo(places.timeout()) < 0) {
            config.placesDeadline(places.timeout());
        }
    }

    /** The servers and links, as in a {@code --config} file (ports are replaced by ephemeral ones). */
    public HerdBuilder topology(Topology t) {
        this.topology = Objects.requireNonNull(t);
        return this;
    }

    /** The servers and links from JSON in the {@code --config} format. */
    public HerdBuilder topologyJson(String json) {
        try {
            return topology(TopologyFile.parse(json));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Any other server setting, as the command line would give it, e.g. {@code c -> c.maxLineLength(1024)}. */
    public HerdBuilder config(Consumer<HerdConfigBuilder> setting) {
        settings.add(Objects.requireNonNull(setting));
        return this;
    }

    /** The Nearby Search endpoint every server asks, e.g. {@link FakePlaces#url()}. */
    public HerdBuilder placesUrl(String url) {
        placesUrlSet = true;
        return places(c -> c.placesUrl(URI.create(url)));
    }

    /** The API key servers send to Places. */
    public HerdBuilder placesKey(String key) {
        return places(c -> c.placesKey(key));
    }

    /** How long one attempt at Places may take (default 5 s). */
    public HerdBuilder placesTimeout(Duration timeout) {
        return config(c -> c.placesTimeout(timeout));
    }

    /** How long a WHATSAT waits for Places in all, retries included (default 10 s). */
    public HerdBuilder placesDeadline(Duration deadline) {
        return places(c -> c.placesDeadline(deadline));
    }

    /** How long Places answers are reused; {@link Duration#ZERO} turns the cache off (default 60 s). */
    public HerdBuilder placesCacheTtl(Duration ttl) {
        return places(c -> c.placesCacheTtl(ttl));
    }

    /** Speak Places API (New) to {@link #placesUrl} instead of legacy Nearby Search. */
    public HerdBuilder newPlacesApi() {
        return places(c -> c.placesApi(PlacesApi.NEW));
    }

    /** Trust this PEM certificate for an https Places URL, e.g. {@link FakePlaces#certificateFile()}. */
    public HerdBuilder placesCa(Path certificate) {
        return places(c -> c.placesCa(certificate));
    }

    private HerdBuilder places(Consumer<HerdConfigBuilder> setting) {
        placesSettings.add(setting);
        return this;
    }

    /** A herd secret every server shares: peer links then prove it with a challenge-response. */
    public HerdBuilder secret(String herdSecret) {
        return config(c -> c.secret(herdSecret == null ? null : new HerdSecret(herdSecret.getBytes(StandardCharsets.UTF_8))));
    }

    /**
     * Tells the listener {@code observers} gives for each server's name of every update that server
     * applies (a restarted server too), on the thread that applies it: for watching a herd from inside,
     * as the simulator does. The listener must not block.
     */
    public HerdBuilder observeUpdates(Function<String, UpdateListener> observers) {
        this.observers = Objects.requireNonNull(observers);
        return this;
    }

    /** Where each herd makes its own folder of logs. */
    public HerdBuilder logDir(Path dir) {
        this.logDir = dir;
        return this;
    }

    /** Event loop threads per server (default 2). */
    public HerdBuilder ioThreads(int threads) {
        return config(c -> c.ioThreads(threads));
    }

    /** Starts every server, links them, and returns once all listen. */
    public Herd start() {
        ServerLogs.useHerdConfigurationUnlessConfigured();
        return new Herd(this).startAll();
    }
}
