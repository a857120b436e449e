package dev.herd.testkit;

import dev.herd.server.HerdServer;
import org.jspecify.annotations.Nullable;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The loopback ports each server of a {@link Herd} took when it first started (client, peer and admin),
 * kept so that a restarted server takes the same ones.
 */
final class HerdPorts {
    static final String LOOPBACK = "127.0.0.1";

    private final Map<String, Integer> clients = new ConcurrentHashMap<>();
    private final Map<String, Integer> peers = new ConcurrentHashMap<>();
    private final Map<String, Integer> admins = new ConcurrentHashMap<>();

    /** Notes the ports {@code server} bound. */
    void bound(String name, HerdServer server) {
        clients.put(name, server.boundAddress().getPort());
        peers.put(name, server.peerAddress().getPort());
        server.adminAddress().ifPresent(admin -> admins.put(name, admin.getPort()));
    }

    int client(String name) {
        return clients.get(name);
    }

    int peer(String name) {
        return peers.get(name);
    }

    /** The admin port, or 0 when the server has none yet. */
    int admin(String name) {
        return admins.getOrDefault(name, 0);
    }

    @Nullable InetSocketAddress clientAddress(String name) {
        return address(clients.get(name));
    }

    /** Where peers link to {@code name}: its peer port (the relays on the links connect there). */
    @Nullable InetSocketAddress peerAddress(String name) {
        return address(peers.get(name));
    }

    @Nullable InetSocketAddress adminAddress(String name) {
        return address(admins.get(name));
    }

    private static @Nullable InetSocketAddress address(@Nullable Integer port) {
        return port == null ? null : new InetSocketAddress(LOOPBACK, port);
    }
}
