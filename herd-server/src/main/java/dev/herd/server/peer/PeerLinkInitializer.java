package dev.herd.server.peer;

import dev.herd.protocol.Challenge;
import dev.herd.protocol.Digest;
import dev.herd.protocol.Prints;
import dev.herd.protocol.Proof;
import dev.herd.protocol.codec.HerdCodec;
import dev.herd.server.internal.ChannelErrors;
import dev.herd.server.internal.HerdPipeline;
import dev.herd.server.log.ServerLog;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;


/**
 * Pipeline of an outbound link to a peer: the encoder, and the line codec and a handler for what comes
 * back: the peer's challenge when the herd has a secret, and once the link is open its digest and its
 * answers to store comparisons. {@link PeerLink} writes
 * the greeting, the proof and the updates.
 */
final class PeerLinkInitializer extends ChannelInitializer<SocketChannel> {
    private static final Sink SINK = new Sink();

    private final SslContext tls;

    /** {@code tls}: for links over TLS, or null for plain TCP. */
    PeerLinkInitializer(SslContext tls) {
        this.tls = tls;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (tls != null) {
            // The peer's host, as this link will name it, is checked against its certificate.
            InetSocketAddress peer = ch.attr(PeerLink.TARGET).get();
            ch.pipeline().addLast(HerdPipeline.TLS, peer == null ? tls.newHandler(ch.alloc())
                    : tls.newHandler(ch.alloc(), peer.getHostString(), peer.getPort()));
        }
        // Reading nothing for a while makes the link probe its peer, and close if the probe goes unanswered.
        ch.pipeline().addLast(HerdPipeline.IDLE, new IdleStateHandler(PeerLink.PROBE_AFTER_SECONDS, 0, 0));
        HerdCodec.addTo(ch.pipeline(), ANSWER_LINE_LIMIT);
        ch.pipeline().addLast(HerdPipeline.PEER_SINK, SINK);
    }

    /** The longest line a peer answers with: a PRINTS line ({@link SumsAnswer#PRINTS_BYTES_PER_LINE} in base64). */
    static final int ANSWER_LINE_LIMIT = 16 * 1024;

    /** Hands a challenge to the link and discards anything else; closes on errors. Stateless, so shared. */
    @Sharable
    static final class Sink extends ChannelInboundHandlerAdapter {
        private static final ServerLog LOG = ServerLog.of(Sink.class);

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            PeerLink link = ctx.channel().attr(PeerLink.KEY).get();
            if (msg instanceof Challenge challenge && link != null) {
                link.onChallenge(ctx.channel(), challenge.nonce());
            } else if (msg instanceof Proof proof && link != null) {
                link.onProof(ctx.channel(), proof.mac());
            } else if (msg instanceof Digest digest && link != null) {
                link.onDigest(ctx.channel(), digest);
            } else if (msg instanceof Prints prints && link != null) {
                link.onPrints(ctx.channel(), prints);
            } else {
                // A peer link carries updates one way; anything else coming back is not ours to act on.
                LOG.debug("peer link {}: ignored {}", ctx.channel().remoteAddress(), msg);
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            PeerLink link = ctx.channel().attr(PeerLink.KEY).get();
            if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE && link != null) {
                link.onSilence(ctx.channel(), idle.isFirst());
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            PeerLink link = ctx.channel().attr(PeerLink.KEY).get();
            if (link != null && ctx.channel().isWritable()) {
                link.continueCatchUp(ctx.channel());
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ChannelErrors.logAndClose(LOG, "peer link", ctx, cause);
        }
    }
}
