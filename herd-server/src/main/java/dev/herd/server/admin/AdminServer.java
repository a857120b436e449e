package dev.herd.server.admin;

import dev.herd.server.internal.StartupWork;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A server's admin HTTP endpoint on a port of its own: {@code /metrics}, {@code /health},
 * {@code /status} and the status page at {@code /}. It binds with the client port and starts
 * answering once the server serves.
 */
public final class AdminServer implements AutoCloseable {
    private final ChannelGroup connections = new DefaultChannelGroup("admin", GlobalEventExecutor.INSTANCE);
    private Channel listener;
    private volatile ServerView server;
    /**
     * Made off the event loops {@link StartupWork#DEFERRED} after start, or for the first request if
     * that comes sooner: it loads JSON, HTTP and the page, which a starting server (five JVMs starting
     * at once on two cores) must not spend its first seconds on.
     */
    private AdminHandler handler;

    /** Takes the port without answering yet; {@link #serve} starts answering. */
    public InetSocketAddress bind(EventLoopGroup group, Class<? extends ServerChannel> channelClass, String host, int port) {
        listener = new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new AdminPipelineInitializer(this::handler, connections))
                .bind(host, port).syncUninterruptibly().channel();
        return address();
    }

    public void serve(ServerView view) {
        server = view;
        GlobalEventExecutor.INSTANCE.schedule(this::handler, StartupWork.DEFERRED.toMillis(), TimeUnit.MILLISECONDS);
        listener.config().setAutoRead(true);
        listener.read();
    }

    private synchronized AdminHandler handler() {
        if (handler == null) {
            handler = new AdminHandler(server, new StaticFiles());
        }
        return handler;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        connections.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
}
