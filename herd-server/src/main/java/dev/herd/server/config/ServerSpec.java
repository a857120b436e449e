package dev.herd.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Where one server of the herd listens for clients ({@code host}:{@code port}) and for its peers
 * ({@code host}:{@code peerPort}), which servers it links to, and where its admin HTTP endpoint listens:
 * {@code adminHost} (by default the server's host) and {@code adminPort} ({@link #ADMIN_OFF} for none).
 * {@code advertise} is the address peers and tools reach it at (by default its host): it differs from the
 * host where the server listens on every address ({@code 0.0.0.0}) or behind NAT or a container's
 * port mapping. Port 0 means an ephemeral port, for tests.
 *
 * <p>Peers have a port of their own so that nothing about a peer link touches the client port: tools
 * that stop a server "by its port" ({@code lsof -ti:PORT | xargs kill}) find only that server.
 */
public record ServerSpec(String name, String host, int port, List<String> peers, int peerPort, int adminPort,
                         String adminHost, String advertise) {
    /** The admin port meaning "no admin endpoint". */
    public static final int ADMIN_OFF = -1;
    /** How far above the client port the admin endpoint listens unless told otherwise. */
    public static final int ADMIN_PORT_OFFSET = 1000;
    /** How far above the client port peers link to a server unless told otherwise. */
    public static final int PEER_PORT_OFFSET = 2000;

    public ServerSpec {
        peers = List.copyOf(peers);
    }

    /** A server with its peer port and admin endpoint at the defaults: the client port + 2000 and + 1000. */
    public ServerSpec(String name, String host, int port, List<String> peers) {
        this(name, host, port, peers, defaultPeerPort(port), defaultAdminPort(port), host, host);
    }

    /** Whether {@code host} means every address of the machine (0.0.0.0 or ::): one to listen on, not to dial. */
    public static boolean isWildcard(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return h.equals("0.0.0.0") || h.equals("::") || h.equals("0:0:0:0:0:0:0:0");
    }

    /** The host others reach this server's admin endpoint at: its admin host, or the advertised address where that is a wildcard. */
    public String adminReachHost() {
        return isWildcard(adminHost) ? advertise : adminHost;
    }

    public static int defaultAdminPort(int port) {
        return port == 0 ? 0 : port + ADMIN_PORT_OFFSET;
    }

    public static int defaultPeerPort(int port) {
        return port == 0 ? 0 : port + PEER_PORT_OFFSET;
    }

    /** Whether {@code port} may be given as an admin port in a config or on the command line: 1-65535, or off. */
    public static boolean isAdminPortSetting(int port) {
        return port == ADMIN_OFF || port >= 1 && port <= 65535;
    }

    public boolean hasAdmin() {
        return adminPort != ADMIN_OFF;
    }

    public ServerSpec withPort(int newPort) {
        return new ServerSpec(name, host, newPort, peers, peerPort, adminPort, adminHost, advertise);
    }

    public ServerSpec withPeerPort(int newPeerPort) {
        return new ServerSpec(name, host, port, peers, newPeerPort, adminPort, adminHost, advertise);
    }

    public ServerSpec withAdminPort(int newAdminPort) {
        return new ServerSpec(name, host, port, peers, peerPort, newAdminPort, adminHost, advertise);
    }

    /** Whether this server's host names this machine's loopback interface only. */
    public boolean isLoopback() {
        if (host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
