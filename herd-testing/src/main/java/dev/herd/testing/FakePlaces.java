package dev.herd.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLException;

/**
 * A stand-in for Google's Places APIs on loopback, over HTTP or HTTPS: it records every request and
 * answers with what the test scripts: a default reply, and a queue of replies used first, in order
 * ({@link #script}), for faults such as "503 then OK". Point a server at {@link #url()} (legacy Nearby
 * Search) or {@link #newApiUrl()} (Places API (New)); close when done.
 */
public final class FakePlaces implements AutoCloseable {
    /** The path Google's legacy Nearby Search uses; {@link #url()} points at it. */
    public static final String NEARBY_PATH = "/maps/api/place/nearbysearch/json";
    /** The path of Places API (New) searchNearby; {@link #newApiUrl()} points at it. */
    public static final String NEW_API_PATH = "/v1/places:searchNearby";
    /** A small, valid answer with no results. */
    public static final String ZERO_RESULTS = "{\"html_attributions\":[],\"results\":[],\"status\":\"ZERO_RESULTS\"}";

    private final EventLoopGroup group;
    private final Channel listener;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Queue<FakeReply> scripted = new ConcurrentLinkedQueue<>();
    private final SelfSignedCertificate certificate;
    private volatile FakeReply fallback = FakeReply.json(ZERO_RESULTS);

    @SuppressWarnings("deprecation") // SelfSignedCertificate: a throwaway test certificate is its purpose.
    private FakePlaces(boolean https) {
        SslContext ssl = null;
        try {
            certificate = https ? new SelfSignedCertificate("localhost") : null;
            if (https) {
                ssl = SslContextBuilder.forServer(certificate.certificate(), certificate.privateKey()).build();
            }
        } catch (CertificateException | SSLException e) {
            throw new IllegalStateException("cannot make a test certificate: " + e.getMessage(), e);
        }
        SslContext tls = ssl;
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("fake-places", true), NioIoHandler.newFactory());
        try {
            listener = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (tls != null) {
                                ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                            }
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Responder());
                        }
                    })
                    .bind("127.0.0.1", 0).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Starts a fake over HTTP on an ephemeral loopback port, answering {@link #ZERO_RESULTS}. */
    public static FakePlaces start() {
        return new FakePlaces(false);
    }

    /**
     * Starts a fake over HTTPS with a certificate for {@code localhost} made now; clients must trust
     * {@link #certificateFile()}.
     */
    public static FakePlaces startHttps() {
        return new FakePlaces(true);
    }

    /** The legacy Nearby Search URL to give a server ({@code --places-url}). */
    public String url() {
        return base() + NEARBY_PATH;
    }

    /** The Places API (New) URL to give a server ({@code --places-url} with {@code --places-api new}). */
    public String newApiUrl() {
        return base() + NEW_API_PATH;
    }

    private String base() {
        return certificate != null ? "https://localhost:" + port() : "http://127.0.0.1:" + port();
    }

    /** The PEM certificate of an HTTPS fake ({@code --places-ca}). */
    public Path certificateFile() {
        if (certificate == null) {
            throw new IllegalStateException("this fake speaks plain HTTP");
        }
        return certificate.certificate().toPath();
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Answers every later request with HTTP 200 and {@code json}, once any scripted replies are used. */
    public FakePlaces respondWith(String json) {
        return respondWith(FakeReply.json(json));
    }

    /** Answers every later request with {@code httpStatus} and {@code responseBody}. */
    public FakePlaces respondWith(int httpStatus, String responseBody) {
        return respondWith(FakeReply.status(httpStatus, responseBody));
    }

    /** Answers every later request with {@code reply}, once any scripted replies are used. */
    public FakePlaces respondWith(FakeReply reply) {
        this.fallback = reply;
        return this;
    }

    /** The next requests get these replies, one each, in order; then {@link #respondWith} applies again. */
    public FakePlaces script(FakeReply... replies) {
        scripted.addAll(List.of(replies));
        return this;
    }

    /** Every request received so far, oldest first. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Waits until at least {@code count} requests have arrived. */
    public List<RecordedRequest> awaitRequests(int count, Duration timeout) {
        Wait.until(count + " Places request(s)", timeout, () -> requests.size() >= count);
        return requests();
    }

    @Override
    @SuppressWarnings("deprecation")
    public void close() {
        listener.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        if (certificate != null) {
            certificate.delete();
        }
    }

    /** Records a request and answers it as currently scripted. */
    private final class Responder extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            Map<String, String> headers = new LinkedHashMap<>();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
            Map<String, List<String>> query = new LinkedHashMap<>();
            uri.parameters().forEach((k, v) -> query.put(k, new ArrayList<>(v)));
            requests.add(new RecordedRequest(request.method().name(), uri.path(), query, headers,
                    request.content().toString(StandardCharsets.UTF_8)));
            FakeReply reply = scripted.poll();
            if (reply == null) {
                reply = fallback;
            }
            if (reply.isStall()) {
                return;
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(reply.isGzipped() ? gzip(bytes) : bytes));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            if (reply.isGzipped()) {
                response.headers().set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
            }
            long millis = reply.delay().toMillis();
            if (millis > 0) {
                ctx.executor().schedule(() -> send(ctx, response), millis, TimeUnit.MILLISECONDS);
            } else {
                send(ctx, response);
            }
        }

        private byte[] gzip(byte[] bytes) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
                zip.write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }

        private void send(ChannelHandlerContext ctx, FullHttpResponse response) {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
