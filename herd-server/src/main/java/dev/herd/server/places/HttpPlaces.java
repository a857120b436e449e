package dev.herd.server.places;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.protocol.Location;
import dev.herd.protocol.Radius;
import dev.herd.server.HerdPipeline;
import dev.herd.server.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import javax.net.ssl.SSLException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Nearby Search over HTTP(S) with Netty: {@code GET URL?location=LAT,LNG&radius=METRES&key=KEY}.
 * It runs on its own small event loop group, so connecting and name resolution never hold up the
 * server's I/O threads, and every request ends within the timeout with an answer or an error object.
 */
public final class HttpPlaces implements Places {
    private static final Logger LOG = LogManager.getLogger(HttpPlaces.class);
    private static final int MAX_CONNECT_MILLIS = 3000;

    private final URI endpoint;
    private final String key;
    private final Duration timeout;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final String host;
    private final int port;

    public HttpPlaces(URI endpoint, String key, Duration timeout, Transport transport, ThreadFactory threads) {
        this.endpoint = endpoint;
        this.key = key;
        this.timeout = timeout;
        boolean https = "https".equals(endpoint.getScheme());
        this.host = endpoint.getHost();
        this.port = endpoint.getPort() != -1 ? endpoint.getPort() : https ? 443 : 80;
        this.group = transport.newGroup(1, threads);
        SslContext ssl = https ? clientSsl() : null;
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(MAX_CONNECT_MILLIS, timeout.toMillis()))
                .handler(new PlacesClientInitializer(ssl, host, port));
    }

    private static SslContext clientSsl() {
        try {
            // Hostname verification on (Netty 4.2's default, stated here so it cannot be lost).
            return SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for the Places client: " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<JsonNode> nearby(Location location, Radius radius) {
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        FullHttpRequest request = request(location, radius);
        ChannelFuture connect = bootstrap.connect(host, port);
        Channel channel = connect.channel();
        channel.eventLoop().schedule(() -> {
            if (answer.complete(failure("no answer within " + timeout.toMillis() + " ms"))) {
                channel.close();
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        connect.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                request.release();
                answer.complete(failure("could not connect: " + PlacesResponseHandler.describe(f.cause())));
                return;
            }
            f.channel().pipeline().addLast(HerdPipeline.PLACES_RESPONSE, new PlacesResponseHandler(answer, describe()));
            f.channel().writeAndFlush(request);
        });
        answer.whenComplete((json, err) -> channel.close());
        return answer;
    }

    private FullHttpRequest request(Location location, Radius radius) {
        StringBuilder target = new StringBuilder(endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty()
                ? "/" : endpoint.getRawPath());
        target.append('?');
        if (endpoint.getRawQuery() != null && !endpoint.getRawQuery().isEmpty()) {
            target.append(endpoint.getRawQuery()).append('&');
        }
        target.append("location=").append(unsigned(location.latitudeText()))
                .append(',').append(unsigned(location.longitudeText()))
                .append("&radius=").append(radius.metresText());
        if (key != null) {
            target.append("&key=").append(URLEncoder.encode(key, StandardCharsets.UTF_8));
        }
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target.toString());
        boolean defaultPort = endpoint.getPort() == -1;
        request.headers()
                .set(HttpHeaderNames.HOST, defaultPort ? host : host + ":" + port)
                .set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.GZIP)
                .set(HttpHeaderNames.USER_AGENT, "herd")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return request;
    }

    /** The client's own digits, without the {@code +} that a URL would read as a space. */
    private static String unsigned(String coordinate) {
        return coordinate.startsWith("+") ? coordinate.substring(1) : coordinate;
    }

    private JsonNode failure(String reason) {
        LOG.warn("places request to {} failed: {}", describe(), reason);
        return PlacesJson.error("UNKNOWN_ERROR", "Places request failed: " + reason);
    }

    @Override
    public String describe() {
        // Scheme, host and path only: the query of a configured URL could hold a key.
        return endpoint.getScheme() + "://" + endpoint.getAuthority() + (endpoint.getRawPath() == null ? "" : endpoint.getRawPath());
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
