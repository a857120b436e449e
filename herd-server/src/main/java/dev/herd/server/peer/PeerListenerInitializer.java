package dev.herd.server.peer;

import dev.herd.protocol.codec.HerdCodec;
import dev.herd.server.internal.HerdPipeline;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.jspecify.annotations.Nullable;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Pipeline of every connection accepted on the peer port: TLS when the herd has it, silence
 * detection, the line codec, and an {@link InboundPeerHandler} of its own.
 */
public final class PeerListenerInitializer extends ChannelInitializer<SocketChannel> {
    private final SslContext tls;
    private final int maxLineLength;
    private final Supplier<InboundPeerHandler.Server> server;
    /** Every connection accepted on the peer port: closed first when the server stops. */
    private final ChannelGroup connections = new DefaultChannelGroup("peer-connections", GlobalEventExecutor.INSTANCE);

    /**
     * @param tls         for links over TLS, or null for plain TCP
     * @param server      asked per connection: it exists once the server serves, not at bind time
     */
    public PeerListenerInitializer(@Nullable SslContext tls, int maxLineLength, Supplier<InboundPeerHandler.Server> server) {
        this.tls = tls;
        // A store comparison's lines are up to 16 KiB, whatever the clients' limit.
        this.maxLineLength = Math.max(maxLineLength, PeerLinkInitializer.ANSWER_LINE_LIMIT);
        this.server = server;
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

    /** Closes the links that {@code peers} opened to this server (peers a reloaded topology removed). */
    public void closeFrom(Collection<String> peers) {
        for (Channel ch : connections) {
            InboundPeerHandler handler = ch.pipeline().get(InboundPeerHandler.class);
            if (handler != null) {
                // Asked on the connection's own loop, where the handler learns its peer.
                ch.eventLoop().execute(() -> {
                    String peer = handler.peer();
                    // A connection that has not greeted yet has no peer (and an immutable list refuses contains(null)).
                    if (peer != null && peers.contains(peer)) {
                        ch.close();
                    }
                });
            }
        }
    }

    /** Closes every connection accepted on the peer port, waiting a second at most. */
    public void closeAll() {
        connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
}
