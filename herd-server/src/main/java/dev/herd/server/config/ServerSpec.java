package dev.herd.server.config;

import java.util.List;

/**
 * Where one server of the herd listens, which servers it links to, and where its admin HTTP endpoint
 * listens: {@code adminHost} (by default the server's host) and {@code adminPort} ({@link #ADMIN_OFF}
 * for none; 0 for an ephemeral port, as for the client port).
 */
public record ServerSpec(String name, String host, int port, List<String> peers, int adminPort, String adminHost) {
    /** The admin port meaning "no admin endpoint". */
    public static final int ADMIN_OFF = -1;
    /** How far above the client port the admin endpoint listens unless told otherwise. */
    public static final int ADMIN_PORT_OFFSET = 1000;

    public ServerSpec {
        peers = List.copyOf(peers);
    }

    /** A server whose admin endpoint is on its host, at the default port: the client port + 1000 (ephemeral for port 0). */
    public ServerSpec(String name, String host, int port, List<String> peers) {
        this(name, host, port, peers, defaultAdminPort(port), host);
    }

    public static int defaultAdminPort(int port) {
        return port == 0 ? 0 : port + ADMIN_PORT_OFFSET;
    }

    /** Whether {@code port} may be given as an admin port in a config or on the command line: 1-65535, or off. */
    public static boolean isAdminPortSetting(int port) {
        return port == ADMIN_OFF || port >= 1 && port <= 65535;
    }

    public boolean hasAdmin() {
        return adminPort != ADMIN_OFF;
    }

    public ServerSpec withPort(int newPort) {
        return new ServerSpec(name, host, newPort, peers, adminPort, adminHost);
    }

    public ServerSpec withAdminPort(int newAdminPort) {
        return new ServerSpec(name, host, port, peers, newAdminPort, adminHost);
    }
}
