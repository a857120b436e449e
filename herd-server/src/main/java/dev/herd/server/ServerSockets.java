package dev.herd.server;

import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.internal.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.nio.channels.UnresolvedAddressException;

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
    static HerdServer.Early listenEarly(HerdConfig config) throws HerdServer.BindFailedException {
        ServerSpec self = config.self();
        Transport.EarlyListener clients;
        try {
            clients = config.transport().listenEarly(self.host(), self.port(), BACKLOG);
        } catch (IOException | RuntimeException e) {
            throw new HerdServer.BindFailedException(self.host() + ":" + self.port() + ": " + reason(e), e);
        }
        try {
            return new HerdServer.Early(clients, config.transport().listenEarly(self.host(), self.peerPort(), BACKLOG));
        } catch (IOException | RuntimeException e) {
            clients.close();
            throw new HerdServer.BindFailedException(peerPortFailure(self, e), e);
        }
    }

    /** The options every listener of a server has; accepting starts once the server serves. */
    static ServerBootstrap listening(ServerBootstrap bootstrap) {
        return bootstrap.option(ChannelOption.SO_BACKLOG, BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true);
    }

    /** A listener over the socket already listening, or bound now. */
    static Channel take(ServerBootstrap bootstrap, Transport.@Nullable EarlyListener early, Transport transport,
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

    static String peerPortFailure(ServerSpec self, Exception e) {
        return self.host() + ":" + self.peerPort() + " (the peer port; peer_port in the config sets it, by default the port + "
                + ServerSpec.PEER_PORT_OFFSET + "): " + reason(e);
    }

    static String adminPortFailure(ServerSpec self, Exception e) {
        return self.adminHost() + ":" + self.adminPort() + " (the admin endpoint; admin_host"
                + " and admin_port in the config or --admin-port set it): " + reason(e);
    }
}
