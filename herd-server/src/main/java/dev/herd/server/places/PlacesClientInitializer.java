package dev.herd.server.places;

import dev.herd.server.internal.HerdPipeline;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.SslContext;

/**
 * Pipeline of a Places request: TLS when the endpoint is HTTPS (with SNI and hostname checks for
 * {@code host}), then HTTP, gzip decoding and aggregation; {@link HttpPlaces} adds the response
 * handler once connected.
 */
final class PlacesClientInitializer extends ChannelInitializer<SocketChannel> {
    /** Largest Places answer accepted; Google's 20-result pages are far below it. */
    static final int MAX_RESPONSE_BYTES = 1024 * 1024;

    private final SslContext ssl;
    private final String host;
    private final int port;

    PlacesClientInitializer(SslContext ssl, String host, int port) {
        this.ssl = ssl;
        this.host = host;
        this.port = port;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            p.addLast(HerdPipeline.TLS, ssl.newHandler(ch.alloc(), host, port));
        }
        p.addLast(HerdPipeline.HTTP_CODEC, new HttpClientCodec());
        p.addLast(HerdPipeline.HTTP_DECOMPRESSOR, new HttpContentDecompressor(0));
        p.addLast(HerdPipeline.HTTP_AGGREGATOR, new HttpObjectAggregator(MAX_RESPONSE_BYTES));
    }
}
