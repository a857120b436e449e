package dev.herd.server.peer;

import dev.herd.protocol.codec.HerdCodec;
import dev.herd.server.internal.HerdPipeline;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.function.Supplier;

/**
 * Pipeline of every connection accepted on the peer port: TLS when the herd has it, silence
 * detection, the line codec, and an {@link InboundPeerHandler} of its own.
 */
public final class PeerListenerInitializer extends ChannelInitializer<SocketChannel> {
    private final SslContext tls;
    private final int maxLineLength;
    private final Supplier<InboundPeerHandler.Server> server;
    private final ChannelGroup connections;

    /**
     * @param tls         for links over TLS, or null for plain TCP
     * @param server      asked per connection: it exists once the server serves, not at bind time
     * @param connections each connection joins it (and leaves it when closed), so a stop closes them all
     */
    public PeerListenerInitializer(SslContext tls, int maxLineLength, Supplier<InboundPeerHandler.Server> server,
                                   ChannelGroup connections) {
        this.tls = tls;
        // A store comparison's lines are up to 16 KiB, whatever the clients' limit.
        this.maxLineLength = Math.max(maxLineLength, PeerLinkInitializer.ANSWER_LINE_LIMIT);
        this.server = server;
        this.connections = connections;
    }

    /**
     * Connections the peer port holds at once: its own budget, apart from the clients' (a herd server
     * has a handful of peers, each with one link); a connection that has not greeted within
     * {@link InboundPeerHandler#GREETING_TIMEOUT_MILLIS} is closed, so strangers cannot hold these long.
     */
    public static final int MAX_CONNECTIONS = 256;

    @Override
    protected void initChannel(SocketChannel ch) {
        if (connections.size() >= MAX_CONNECTIONS) {
            ch.close();
            return;
        }
        connections.add(ch);
        if (tls != null) {
            ch.pipeline().addLast(HerdPipeline.TLS, tls.newHandler(ch.alloc()));
        }
        ch.pipeline().addLast(HerdPipeline.IDLE, new IdleStateHandler(InboundPeerHandler.PEER_SILENCE_SECONDS, 0, 0));
        HerdCodec.addTo(ch.pipeline(), maxLineLength);
        ch.pipeline().addLast(HerdPipeline.PEER, new InboundPeerHandler(server.get()));
    }
}
