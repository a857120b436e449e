package dev.herd.server;

import dev.herd.protocol.codec.HerdCodec;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;

import java.util.function.Supplier;

/**
 * Pipeline of every accepted connection, client or inbound peer link: line framing, decoding, the
 * shared server handler, encoding. Per-connection state lives in {@link ConnectionState}.
 */
final class ClientPipelineInitializer extends ChannelInitializer<SocketChannel> {
    private final int maxLineLength;
    private final Supplier<HerdServerHandler> handler;

    private final ChannelGroup connections;
    private final int maxOwedReplies;

    /**
     * {@code handler} is asked per connection: it exists once the server accepts, not at bind time.
     * Each connection joins {@code connections} (and leaves it when closed).
     */
    ClientPipelineInitializer(int maxLineLength, int maxOwedReplies, Supplier<HerdServerHandler> handler,
                              ChannelGroup connections) {
        this.maxLineLength = maxLineLength;
        this.maxOwedReplies = maxOwedReplies;
        this.handler = handler;
        this.connections = connections;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        connections.add(ch);
        ch.attr(ConnectionState.KEY).set(new ConnectionState(maxOwedReplies));
        HerdCodec.addTo(ch.pipeline(), maxLineLength);
        ch.pipeline().addLast(HerdPipeline.HANDLER, handler.get());
    }
}
