package dev.herd.server.peer;

import dev.herd.protocol.PeerGreeting;
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
 * Pipeline of an outbound link to a peer: the encoder, and a handler that greets the peer on connect.
 * Updates are written by {@link PeerLink}; the peer sends nothing back.
 */
final class PeerLinkInitializer extends ChannelInitializer<SocketChannel> {
    private final Greeter greeter;

    PeerLinkInitializer(String self) {
        this.greeter = new Greeter(PeerGreeting.of(self));
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(HerdPipeline.ENCODER, MessageEncoder.INSTANCE);
        ch.pipeline().addLast(HerdPipeline.PEER_GREETER, greeter);
    }

    /** Names this server to the peer first thing. Holds only the greeting, so shared. */
    @Sharable
    static final class Greeter extends ChannelInboundHandlerAdapter {
        private static final Logger LOG = LogManager.getLogger(Greeter.class);
        private final PeerGreeting greeting;

        Greeter(PeerGreeting greeting) {
            this.greeting = greeting;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(greeting, ctx.voidPromise());
            ctx.fireChannelActive();
        }

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
