package dev.herd.server.peer;

import dev.herd.protocol.codec.MessageEncoder;
import dev.herd.server.ChannelErrors;
import dev.herd.server.HerdPipeline;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;


/**
 * Pipeline of an outbound link to a peer: the encoder, and a handler for what comes back (nothing
 * should). {@link PeerLink} writes the greeting and the updates.
 */
final class PeerLinkInitializer extends ChannelInitializer<SocketChannel> {
    private static final Sink SINK = new Sink();

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(HerdPipeline.ENCODER, MessageEncoder.INSTANCE);
        ch.pipeline().addLast(HerdPipeline.PEER_SINK, SINK);
    }

    /** Discards anything the peer sends and closes the link on errors. Stateless, so shared. */
    @Sharable
    static final class Sink extends ChannelInboundHandlerAdapter {
        private static final Logger LOG = LogManager.getLogger(Sink.class);

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            // A peer link carries updates one way; anything coming back is not ours to act on.
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ChannelErrors.logAndClose(LOG, "peer link", ctx, cause);
        }
    }
}
