package dev.herd.server.places;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.protocol.Location;
import dev.herd.protocol.Radius;
import dev.herd.server.config.PlacesApi;
import dev.herd.server.config.PlacesSettings;
import dev.herd.server.config.Redact;
import dev.herd.server.internal.Backoff;
import dev.herd.server.internal.HerdPipeline;
import dev.herd.server.internal.Transport;
import dev.herd.server.log.ServerLog;
import dev.herd.server.places.NearbySearchApi.Outcome;
import dev.herd.server.places.NearbySearchApi.Retry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Nearby Search over HTTP(S) with Netty, for Google's two APIs and compatible endpoints. It runs on its
 * own small event loop group, so connecting and name resolution never hold up the server's I/O
 * threads. Each query makes at most {@value #MAX_ATTEMPTS} attempts, each with its own timeout, all
 * within an overall deadline; only passing faults are retried, with jittered backoff, and an answer
 * over quota at most once more, slowly. The key is sent, never logged.
 */
public final class HttpPlaces implements Places {
    static final int MAX_ATTEMPTS = 3;
    private static final ServerLog LOG = ServerLog.of(HttpPlaces.class);
    /** Retries after a failed attempt: 250 ms, then 500 ms, each with jitter. */
    private static final Backoff RETRIES = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(1));
    /** The one retry after an answer that asks for patience (a quota spent for the moment): 1-3 s. */
    private static final Backoff SLOW_RETRY = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(2));

    private final URI endpoint;
    private final String key;
    private final NearbySearchApi api;
    private final PlacesSettings settings;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final String host;
    private final int port;

    /**
     * A source that asks {@code endpoint} with the key, API, timeouts and trusted certificate (for
     * self-hosted or test endpoints, beyond the JDK's own) of {@code settings}.
     */
    public HttpPlaces(URI endpoint, PlacesSettings settings, Transport transport, ThreadFactory threads) {
        this.endpoint = endpoint;
        this.key = settings.key();
        this.api = settings.api() == PlacesApi.NEW ? NewNearbySearch.INSTANCE : LegacyNearbySearch.INSTANCE;
        this.settings = settings;
        boolean https = "https".equals(endpoint.getScheme());
        this.host = endpoint.getHost();
        this.port = endpoint.getPort() != -1 ? endpoint.getPort() : https ? 443 : 80;
        SslContext ssl = https ? clientSsl(settings.ca()) : null;
        this.group = transport.newGroup(1, threads);
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis()))
                .handler(new PlacesClientInitializer(ssl, host, port));
    }

    private static SslContext clientSsl(Path trusted) {
        try {
            // Hostname verification on (Netty 4.2's default, stated here so it cannot be lost); SNI comes
            // from newHandler(alloc, host, port).
            SslContextBuilder builder = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
            if (trusted != null) {
                builder.trustManager(trusted.toFile());
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot set up TLS for the Places client: " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<JsonNode> nearby(Location location, Radius radius) {
        Call call = new Call(location, radius);
        call.attempt();
        return call.result;
    }

    /** One query: its attempts, what the last one said, and the deadline they all share. */
    private final class Call {
        final CompletableFuture<JsonNode> result = new CompletableFuture<>();
        private final Location location;
        private final Radius radius;
        private final long deadline = System.nanoTime() + settings.deadline().toNanos();
        private int attempts;
        private boolean slowRetryUsed;

        Call(Location location, Radius radius) {
            this.location = location;
            this.radius = radius;
        }

        void attempt() {
            attempts++;
            long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            long timeout = Math.min(settings.timeout().toMillis(), remaining);
            if (timeout <= 0) {
                finish(Outcome.of(PlacesJson.failure("no answer within " + settings.deadline().toMillis() + " ms"), Retry.NO));
                return;
            }
            // Cut short by the deadline, an attempt's timeout is the deadline's, and is reported as such.
            long reported = timeout < settings.timeout().toMillis() ? settings.deadline().toMillis() : timeout;
            exchange(api.request(endpoint, key, location, radius), timeout, reported).thenAccept(this::onOutcome);
        }

        private void onOutcome(Outcome outcome) {
            if (outcome.retry() == Retry.NO || attempts >= MAX_ATTEMPTS
                    || outcome.retry() == Retry.SLOWLY && slowRetryUsed) {
                finish(outcome);
                return;
            }
            long delay;
            if (outcome.retry() == Retry.SLOWLY) {
                slowRetryUsed = true;
                delay = SLOW_RETRY.jitteredDelayMillis(1);
            } else {
                delay = RETRIES.jitteredDelayMillis(attempts);
            }
            if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay) >= deadline) {
                finish(outcome);
                return;
            }
            LOG.info("places {}: {} on attempt {}; retrying in {} ms", describe(), outcome.status(), attempts, delay);
            group.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
        }

        private void finish(Outcome outcome) {
            String status = outcome.status();
            if (!"OK".equals(status) && !"ZERO_RESULTS".equals(status)) {
                LOG.warn("places {}: answering {} after {} attempt(s): {}", describe(), status, attempts,
                        outcome.answer().path("error_message").asText(""));
            }
            result.complete(outcome.answer());
        }
    }

    /** One HTTP exchange, over its own connection, ended by its timeout if nothing else ends it. */
    private CompletableFuture<Outcome> exchange(FullHttpRequest request, long timeoutMillis, long reportedMillis) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        ChannelFuture connect = bootstrap.connect(host, port);
        Channel channel = connect.channel();
        ScheduledFuture<?> timeout = channel.eventLoop().schedule(() -> outcome.complete(Outcome.of(
                PlacesJson.failure("no answer within " + reportedMillis + " ms"), Retry.SOON)), timeoutMillis, TimeUnit.MILLISECONDS);
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                request.release();
                outcome.complete(Outcome.of(PlacesJson.failure("could not connect: "
                        + PlacesResponseHandler.describe(f.cause())), Retry.SOON));
                return;
            }
            f.channel().pipeline().addLast(HerdPipeline.PLACES_RESPONSE, new PlacesResponseHandler(outcome, api));
            f.channel().writeAndFlush(request);
        });
        outcome.whenComplete((o, err) -> {
            timeout.cancel(false);
            channel.close();
        });
        return outcome;
    }

    @Override
    public String describe() {
        // Never the user info or the query of a configured URL: they could hold a password or a key.
        return (api instanceof NewNearbySearch ? "Places API (New) " : "Nearby Search ") + Redact.url(endpoint);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
