package dev.herd.testkit;

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
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for Google's Nearby Search on loopback: it records every request and answers with the
 * JSON (and HTTP status, and delay) the test sets. Start with {@link #start()}, point a server at
 * {@link #url()}, close when done.
 */
public final class FakePlaces implements AutoCloseable {
    /** The path Google's legacy Nearby Search uses; {@link #url()} points at it. */
    public static final String NEARBY_PATH = "/maps/api/place/nearbysearch/json";
    /** A small, valid answer with no results. */
    public static final String ZERO_RESULTS = "{\"html_attributions\":[],\"results\":[],\"status\":\"ZERO_RESULTS\"}";

    private final EventLoopGroup group;
    private final Channel listener;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String body = ZERO_RESULTS;
    private volatile Duration delay = Duration.ZERO;

    private FakePlaces() {
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("fake-places", true), NioIoHandler.newFactory());
        try {
            listener = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Responder());
                        }
                    })
                    .bind("127.0.0.1", 0).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Starts a fake on an ephemeral loopback port, answering {@link #ZERO_RESULTS}. */
    public static FakePlaces start() {
        return new FakePlaces();
    }

    /** The Nearby Search URL to give a server ({@code --places-url}). */
    public String url() {
        return "http://127.0.0.1:" + port() + NEARBY_PATH;
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Answers every later request with HTTP 200 and {@code json}. */
    public FakePlaces respondWith(String json) {
        return respondWith(200, json);
    }

    /** Answers every later request with {@code httpStatus} and {@code responseBody}. */
    public FakePlaces respondWith(int httpStatus, String responseBody) {
        this.status = httpStatus;
        this.body = responseBody;
        return this;
    }

    /** Waits this long before answering each later request. */
    public FakePlaces delay(Duration answerDelay) {
        this.delay = answerDelay;
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
    public void close() {
        listener.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
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
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(status), Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            long millis = delay.toMillis();
            if (millis > 0) {
                ctx.executor().schedule(() -> send(ctx, response), millis, TimeUnit.MILLISECONDS);
            } else {
                send(ctx, response);
            }
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
