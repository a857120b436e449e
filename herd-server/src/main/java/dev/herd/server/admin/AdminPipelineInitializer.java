package dev.herd.server.admin;

import dev.herd.server.internal.HerdPipeline;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;

import java.util.LinkedHashSet;
import java.util.function.Supplier;

/**
 * Pipeline of an admin HTTP connection: a read timeout (a scraper or a browser that goes quiet is
 * closed), the HTTP codec, keep-alive, an aggregator for small requests, the admin handler.
 */
final class AdminPipelineInitializer extends ChannelInitializer<SocketChannel> {
    /** Requests are GETs: anything with a body beyond this is refused by the aggregator. */
    private static final int MAX_REQUEST_BYTES = 8192;
    /** A connection that sends nothing (no request, or nothing after its last answer) this long is closed. */
    private static final int READ_TIMEOUT_SECONDS = 10;
    /** Enough for scrapers and a few open status pages; the endpoint must never compete with clients. */
    static final int MAX_CONNECTIONS = 64;

    private final Supplier<AdminHandler> handler;
    private final ChannelGroup connections;
    /** The connections open, oldest first: the oldest makes room for a newcomer. */
    private final LinkedHashSet<Channel> byAge = new LinkedHashSet<>();

    /** {@code handler} is asked per connection: it exists once the server serves, not at bind time. */
    AdminPipelineInitializer(Supplier<AdminHandler> handler, ChannelGroup connections) {
        this.handler = handler;
        this.connections = connections;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        // Full: the oldest connection goes, not the newcomer. Idle sockets (a thousand of them) then
        // cannot keep a health check out: it is always the newest, and answered in a few milliseconds.
        Channel oldest = null;
        synchronized (byAge) {
            if (byAge.size() >= MAX_CONNECTIONS) {
                oldest = byAge.iterator().next();
                byAge.remove(oldest);
            }
            byAge.add(ch);
        }
        if (oldest != null) {
            oldest.close();
        }
        ch.closeFuture().addListener(f -> {
            synchronized (byAge) {
                byAge.remove(ch);
            }
        });
        connections.add(ch);
        ch.pipeline()
                .addLast(HerdPipeline.READ_TIMEOUT, new ReadTimeoutHandler(READ_TIMEOUT_SECONDS))
                .addLast(HerdPipeline.HTTP_CODEC, new HttpServerCodec())
                .addLast(HerdPipeline.HTTP_KEEP_ALIVE, new HttpServerKeepAliveHandler())
                .addLast(HerdPipeline.HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_REQUEST_BYTES))
                .addLast(HerdPipeline.ADMIN, handler.get());
    }
}
