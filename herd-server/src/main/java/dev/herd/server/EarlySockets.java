package dev.herd.server;

import dev.herd.server.config.HerdConfig;
import dev.herd.server.internal.Transport;

/**
 * A server's client and peer sockets, listening before the server exists, for {@link HerdServer#bind(EarlySockets)};
 * {@code clientsInherited} when the client socket was handed to the process on standard input.
 */
public record EarlySockets(Transport.EarlyListener clients, Transport.EarlyListener peers, boolean clientsInherited) {
    /**
     * Makes the client and peer ports of the server {@code config} describes listen now, with no event
     * loop yet: the very first thing {@code Main} does, so that clients and peers can connect (into the
     * kernel's backlog) while the JVM loads the rest.
     */
    public static EarlySockets listen(HerdConfig config) throws BindFailedException {
        return ServerSockets.listenEarly(config);
    }

    /** Closes both sockets (those Netty has not taken yet). */
    void close() {
        clients.close();
        peers.close();
    }
}
