package dev.herd.server;

import dev.herd.protocol.codec.HerdCodec;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

import java.util.function.Supplier;

/**
 * Pipeline of every accepted connection, client or inbound peer link: line framing, decoding, the
 * shared server handler, encoding. Per-connection state lives in {@link ConnectionState}.
 */
final class ClientPipelineInitializer extends ChannelInitializer<SocketChannel> {
    private final int maxLineLength;
    private final Supplier<HerdServerHandler> handler;

    /** {@code handler} is asked per connection: it exists once the server accepts, not at bind time. */
    ClientPipelineInitializer(int maxLineLength, Supplier<HerdServerHandler> handler) {
        this.maxLineLength = maxLineLength;
        this.handler = handler;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.attr(ConnectionState.KEY).set(new ConnectionState());
        HerdCodec.addTo(ch.pipeline(), maxLineLength);
        ch.pipeline().addLast(HerdPipeline.HANDLER, handler.get());
    }
}
