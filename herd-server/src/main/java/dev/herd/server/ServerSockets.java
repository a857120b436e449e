package dev.herd.server;

import dev.herd.server.admin.AdminServer;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.internal.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeUnit;

/**
 * Takes a server's listening sockets, and says in one line why one cannot be taken: the port, the
 * setting that chose it, and the system's reason.
 */
final class ServerSockets {
    static final int BACKLOG = 1024;

    private ServerSockets() {
    }

    /**
     * Makes the client and peer ports listen now, with no event loop yet: the very first thing
     * {@code Main} does, so that clients and peers can connect (into the kernel's backlog) while the
     * JVM loads the rest.
     */
    static EarlySockets listenEarly(HerdConfig config) throws BindFailedException {
        ServerSpec self = config.self();
        ServerSocketChannel inherited = inheritedListener();
        Transport.EarlyListener clients;
        try {
            clients = inherited == null ? config.transport().listenEarly(self.host(), self.port(), BACKLOG)
                    : adopt(config, inherited);
        } catch (IOException | RuntimeException e) {
            throw new BindFailedException(self.host() + ":" + self.port() + ": " + reason(e), e);
        }
        try {
            return new EarlySockets(clients, config.transport().listenEarly(self.host(), self.peerPort(), BACKLOG), inherited != null);
        } catch (IOException | RuntimeException e) {
            clients.close();
            throw new BindFailedException(peerPortFailure(self, e), e);
        }
    }

    /**
     * The socket on standard input, if it is one that listens: whoever started this process (inetd,
     * systemd's {@code StandardInput=socket}, a wrapper script) has already taken the client port, so
     * clients could connect from the moment the process began, and the port stays open across a
     * restart for as long as that holder keeps it. Anything else on standard input is left alone.
     */
    private static @Nullable ServerSocketChannel inheritedListener() {
        try {
            return System.inheritedChannel() instanceof ServerSocketChannel listening ? listening : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The inherited socket as the client port: it must be the port the config gives this server. */
    private static Transport.EarlyListener adopt(HerdConfig config, ServerSocketChannel inherited) throws IOException {
        Transport.EarlyListener adopted = config.transport().adoptEarly(inherited);
        int port = config.self().port();
        if (port != 0 && adopted.address().getPort() != port) {
            adopted.close();
            throw new IOException("standard input is a socket listening on " + adopted.address() + ", not on "
                    + config.name() + "'s client port " + port);
        }
        return adopted;
    }

    /** A server's client and peer listeners, bound, not accepting until {@link #accept()}. */
    record Listeners(Channel clients, Channel peers) {
        /** Starts accepting: peers first, so what they kept for this server is read before the clients that queued meanwhile. */
        void accept() {
            peers.config().setAutoRead(true);
            peers.read();
            clients.config().setAutoRead(true);
            clients.read();
        }

        InetSocketAddress clientAddress() {
            return (InetSocketAddress) clients.localAddress();
        }

        InetSocketAddress peerAddress() {
            return (InetSocketAddress) peers.localAddress();
        }

        void closeClients() {
            clients.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }

        void closePeers() {
            peers.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
    }

    /**
     * Takes the client and peer ports (over the sockets {@code early} made listen, if given) and the
     * admin port; on failure closes what it took and says which port and why.
     */
    static Listeners bind(HerdConfig config, EventLoopGroup group, EventLoop peerLoop, ChannelHandler clientPipeline,
                          ChannelHandler peerPipeline, @Nullable AdminServer admin, @Nullable EarlySockets early)
            throws BindFailedException {
        ServerSpec self = config.self();
        Transport transport = config.transport();
        ServerBootstrap clients = listening(new ServerBootstrap().group(group))
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(clientPipeline);
        ServerBootstrap peers = listening(new ServerBootstrap().group(group, peerLoop)).childHandler(peerPipeline);
        Channel clientListener;
        try {
            clientListener = take(clients, early == null ? null : early.clients(), transport, self.host(), self.port());
        } catch (Exception e) {
            if (early != null) {
                early.close();
            }
            throw new BindFailedException(self.host() + ":" + self.port() + ": " + reason(e), e);
        }
        Channel peerListener;
        try {
            peerListener = take(peers, early == null ? null : early.peers(), transport, self.host(), self.peerPort());
        } catch (Exception e) {
            if (early != null) {
                early.close();
            }
            clientListener.close().syncUninterruptibly();
            throw new BindFailedException(peerPortFailure(self, e), e);
        }
        if (admin != null) {
            try {
                admin.bind(group, transport.serverChannel(), self.adminHost(), self.adminPort());
            } catch (Exception e) {
                clientListener.close().syncUninterruptibly();
                peerListener.close().syncUninterruptibly();
                throw new BindFailedException(adminPortFailure(self, e), e);
            }
        }
        return new Listeners(clientListener, peerListener);
    }

    /** The options every listener of a server has; accepting starts once the server serves. */
    private static ServerBootstrap listening(ServerBootstrap bootstrap) {
        return bootstrap.option(ChannelOption.SO_BACKLOG, BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true);
    }

    /** A listener over the socket already listening, or bound now. */
    private static Channel take(ServerBootstrap bootstrap, Transport.@Nullable EarlyListener early, Transport transport,
                        String host, int port) {
        if (early != null) {
            return bootstrap.channelFactory(early::newChannel).register().syncUninterruptibly().channel();
        }
        return bootstrap.channel(transport.serverChannel()).bind(host, port).syncUninterruptibly().channel();
    }

    /** Why a bind failed, in words: some exceptions (an unresolvable host) carry no message. */
    static String reason(Exception e) {
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage()
                : cause instanceof UnresolvedAddressException ? "not an address or a host name this machine resolves"
                : cause.getClass().getSimpleName();
    }

    private static String peerPortFailure(ServerSpec self, Exception e) {
        return self.host() + ":" + self.peerPort() + " (the peer port; peer_port in the config sets it, by default the port + "
                + ServerSpec.PEER_PORT_OFFSET + "): " + reason(e);
    }

    private static String adminPortFailure(ServerSpec self, Exception e) {
        return self.adminHost() + ":" + self.adminPort() + " (the admin endpoint; admin_host"
                + " and admin_port in the config or --admin-port set it): " + reason(e);
    }
}
