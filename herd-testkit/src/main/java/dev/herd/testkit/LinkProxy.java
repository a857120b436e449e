package dev.herd.testkit;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A small TCP relay the testkit puts on one directed peer link (server A's link to server B), so a
 * test can cut, delay or thin it without root or network namespaces. It relays whole lines, so it
 * can drop some; the first line of a connection (the greeting) always passes. Internal to the kit.
 */
final class LinkProxy {
    private final EventLoopGroup group;
    private final Supplier<InetSocketAddress> target;
    private final ChannelGroup relayed = new DefaultChannelGroup("relayed", GlobalEventExecutor.INSTANCE);
    /** Where the relay listens; servers ask for it on every connect attempt, so it moves on heal. */
    private volatile int port;
    private volatile Channel listener;
    private volatile long delayMillis;
    private volatile double dropFraction;
    /** Every line after the greeting dropped, connections kept open: a dead path. */
    private volatile boolean silent;

    LinkProxy(EventLoopGroup group, Supplier<InetSocketAddress> target) {
        this.group = group;
        this.target = target;
        listen();
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** Ends every relayed connection and refuses new ones until {@link #heal()}. */
    synchronized void cut() {
        if (listener != null) {
            listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            listener = null;
        }
        relayed.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    /**
     * Accepts connections again, on a new port (the old one may have gone to another socket while the
     * relay was cut; servers ask for the address on every connect attempt); clears any delay, drop and silence.
     */
    synchronized void heal() {
        delayMillis = 0;
        dropFraction = 0;
        silent = false;
        if (listener == null) {
            listen();
        }
    }

    boolean isCut() {
        return listener == null;
    }

    void delay(long millis) {
        this.delayMillis = millis;
    }

    void drop(double fraction) {
        this.dropFraction = fraction;
    }

    void silence() {
        this.silent = true;
    }

    void close() {
        cut();
    }

    /** Listens on a new ephemeral port and makes it the relay's address. */
    private void listen() {
        listener = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        relayed.add(ch);
                        ch.pipeline().addLast(new LineBasedFrameDecoder(1 << 20, false, false), new Inbound());
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
        port = ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** The side facing the server that opened the link: connects onward, then relays its lines. */
    private final class Inbound extends ChannelInboundHandlerAdapter {
        private Channel outbound;
        private boolean firstLine = true;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel in = ctx.channel();
            InetSocketAddress to = target.get();
            if (to == null) {
                in.close();
                return;
            }
            ChannelFuture connect = new Bootstrap()
                    .group(in.eventLoop())
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new Backward(in))
                    .connect(to);
            outbound = connect.channel();
            relayed.add(outbound);
            connect.addListener((ChannelFuture f) -> {
                if (f.isSuccess()) {
                    in.read();
                } else {
                    in.close();
                }
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf line = (ByteBuf) msg;
            // Only updates (AT lines) are dropped, as Herd.drop says: the greeting, probes and store
            // comparisons pass, so a comparison is not left waiting for a line that never comes.
            boolean keep = firstLine || !silent && (!isUpdate(line) || ThreadLocalRandom.current().nextDouble() >= dropFraction);
            firstLine = false;
            if (!keep) {
                ReferenceCountUtil.release(line);
                return;
            }
            forward(outbound, line, delayMillis);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.read();
        }

        private boolean isUpdate(ByteBuf line) {
            int at = line.readerIndex();
            return line.readableBytes() > 3 && line.getByte(at) == 'A' && line.getByte(at + 1) == 'T' && line.getByte(at + 2) == ' ';
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeLater(outbound, delayMillis);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The side facing the target server: relays whatever comes back, unchanged. */
    private final class Backward extends ChannelInboundHandlerAdapter {
        private final Channel in;

        Backward(Channel in) {
            this.in = in;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            forward(in, (ByteBuf) msg, delayMillis);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closeLater(in, 0);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private static void forward(Channel to, ByteBuf data, long delay) {
        if (delay <= 0) {
            to.writeAndFlush(data);
        } else {
            // A delayed write may never run (the link is cut, the herd stops): hold a plain heap copy,
            // which the garbage collector can take, not the pooled buffer.
            ByteBuf copy = Unpooled.copiedBuffer(data);
            data.release();
            to.eventLoop().schedule(() -> to.writeAndFlush(copy), delay, TimeUnit.MILLISECONDS);
        }
    }

    private static void closeLater(Channel channel, long delay) {
        if (channel == null) {
            return;
        }
        Runnable close = () -> channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        if (delay <= 0) {
            close.run();
        } else {
            channel.eventLoop().schedule(close, delay, TimeUnit.MILLISECONDS);
        }
    }
}
