package dev.herd.server.config;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The servers of a herd and the links between them, validated: every name known, links symmetric,
 * the graph connected, ports in range. Immutable.
 */
public final class Topology {
    private static final String LOOPBACK = "127.0.0.1";

    private final Map<String, ServerSpec> servers;

    private Topology(Map<String, ServerSpec> servers) {
        this.servers = servers;
    }

    /** The default herd of the protocol: five servers on loopback, ports 12205 to 12209. */
    public static Topology defaultHerd() {
        try {
            return of(List.of(
                    new ServerSpec("Hill", LOOPBACK, 12205, List.of("Jaquez", "Smith")),
                    new ServerSpec("Jaquez", LOOPBACK, 12206, List.of("Hill", "Singleton")),
                    new ServerSpec("Smith", LOOPBACK, 12207, List.of("Hill", "Campbell", "Singleton")),
                    new ServerSpec("Campbell", LOOPBACK, 12208, List.of("Smith", "Singleton")),
                    new ServerSpec("Singleton", LOOPBACK, 12209, List.of("Jaquez", "Smith", "Campbell"))));
        } catch (ConfigException e) {
            throw new IllegalStateException("the default herd is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * Validates and builds a topology. Port 0 is allowed (an ephemeral port, for tests).
     *
     * @throws ConfigException naming the first problem found
     */
    public static Topology of(Collection<ServerSpec> specs) throws ConfigException {
        if (specs.isEmpty()) {
            throw new ConfigException("servers: empty (expected: at least one server)");
        }
        Map<String, ServerSpec> byName = new LinkedHashMap<>();
        for (ServerSpec spec : specs) {
            checkName(spec.name());
            if (byName.put(spec.name(), spec) != null) {
                throw new ConfigException("servers: " + spec.name() + " is listed twice");
            }
            if (spec.host() == null || spec.host().isBlank()) {
                throw new ConfigException("servers." + spec.name() + ".host: empty (expected: a host name or address)");
            }
            if (spec.advertise() == null || ServerSpec.isWildcard(spec.advertise())) {
                throw new ConfigException("servers." + spec.name() + (spec.advertise() != null && !spec.advertise().equals(spec.host())
                        ? ".advertise: " + spec.advertise() + " is every address of the machine, not one peers can dial"
                        : ".host: " + spec.host() + " listens on every address, which peers cannot dial: add \"advertise\":"
                                + " \"ADDRESS\", the address peers and tools reach it at"));
            }
            if (spec.port() < 0 || spec.port() > 65535) {
                throw new ConfigException("servers." + spec.name() + ".port: " + spec.port() + " (expected: 1-65535)");
            }
            if (spec.adminPort() < ServerSpec.ADMIN_OFF || spec.adminPort() > 65535) {
                throw new ConfigException("servers." + spec.name() + ".admin_port: " + spec.adminPort()
                        + (spec.adminPort() > 65535 ? " (the port + " + ServerSpec.ADMIN_PORT_OFFSET + " by default;" : " (")
                        + " expected: 1-65535, or \"off\")");
            }
            if (spec.adminHost() == null || spec.adminHost().isBlank()) {
                throw new ConfigException("servers." + spec.name() + ".admin_host: empty (expected: a host name or address)");
            }
            if (spec.peerPort() < 0 || spec.peerPort() > 65535) {
                throw new ConfigException("servers." + spec.name() + ".peer_port: " + spec.peerPort()
                        + (spec.peerPort() > 65535 ? " (the port + " + ServerSpec.PEER_PORT_OFFSET + " by default;" : " (")
                        + " expected: 1-65535)");
            }
        }
        checkPortsDistinct(specs);
        for (ServerSpec spec : specs) {
            Set<String> seen = new HashSet<>();
            for (String peer : spec.peers()) {
                ServerSpec other = byName.get(peer);
                if (other == null) {
                    throw new ConfigException("servers." + spec.name() + ".peers: unknown server " + peer
                            + " (expected one of: " + String.join(", ", byName.keySet()) + ")");
                }
                if (peer.equals(spec.name())) {
                    throw new ConfigException("servers." + spec.name() + ".peers: a server cannot be its own peer");
                }
                if (!seen.add(peer)) {
                    throw new ConfigException("servers." + spec.name() + ".peers: " + peer + " is listed twice");
                }
                if (!other.peers().contains(spec.name())) {
                    throw new ConfigException("servers." + spec.name() + ".peers: lists " + peer + " but servers."
                            + peer + ".peers does not list " + spec.name() + " (links are undirected)");
                }
            }
        }
        checkConnected(byName);
        return new Topology(Collections.unmodifiableMap(byName));
    }

    public Optional<ServerSpec> server(String name) {
        return Optional.ofNullable(servers.get(name));
    }

    public Collection<ServerSpec> servers() {
        return servers.values();
    }

    public Set<String> names() {
        return servers.keySet();
    }

    /** This topology with one server's port changed (the testkit binds ephemeral ports). */
    public Topology withPort(String name, int port) {
        return with(name, spec -> spec.withPort(port));
    }

    /** This topology with one server's peer port changed (the testkit binds ephemeral ports). */
    public Topology withPeerPort(String name, int peerPort) {
        return with(name, spec -> spec.withPeerPort(peerPort));
    }

    /** This topology with one server's admin port changed (the testkit binds ephemeral ports). */
    public Topology withAdminPort(String name, int adminPort) {
        return with(name, spec -> spec.withAdminPort(adminPort));
    }

    private Topology with(String name, UnaryOperator<ServerSpec> change) {
        Map<String, ServerSpec> copy = new LinkedHashMap<>(servers);
        copy.computeIfPresent(name, (k, spec) -> change.apply(spec));
        return new Topology(Collections.unmodifiableMap(copy));
    }

    /**
     * Every port a host listens on (each server's client, peer and admin ports) is taken once: two
     * listeners on one address and port cannot both start, and a client port shared with a peer port
     * would bring back what the peer port is for. Port 0 (ephemeral, for tests) is never a clash.
     */
    private static void checkPortsDistinct(Collection<ServerSpec> specs) throws ConfigException {
        Map<String, String> taken = new HashMap<>();
        for (ServerSpec spec : specs) {
            String at = "servers." + spec.name();
            claim(taken, spec.host(), spec.port(), at + ".port");
            claim(taken, spec.host(), spec.peerPort(), at + ".peer_port");
            if (spec.hasAdmin()) {
                claim(taken, spec.adminHost(), spec.adminPort(), at + ".admin_port");
            }
        }
    }

    private static void claim(Map<String, String> taken, String host, int port, String what) throws ConfigException {
        if (port == 0) {
            return;
        }
        String previous = taken.putIfAbsent(host + ":" + port, what);
        if (previous != null) {
            throw new ConfigException(what + ": " + port + " on " + host + " is also " + previous
                    + " (expected: every port of a host distinct; peer_port is the port + "
                    + ServerSpec.PEER_PORT_OFFSET + " and admin_port the port + " + ServerSpec.ADMIN_PORT_OFFSET + " by default)");
        }
    }

    private static void checkName(String name) throws ConfigException {
        if (name == null || name.isEmpty()) {
            throw new ConfigException("servers: a server has an empty name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw new ConfigException("servers: name \"" + name + "\" has a blank or control character"
                        + " (expected: a name without blanks, as it appears in AT lines)");
            }
        }
    }

    private static void checkConnected(Map<String, ServerSpec> byName) throws ConfigException {
        String first = byName.keySet().iterator().next();
        Set<String> reached = new HashSet<>(List.of(first));
        Deque<String> todo = new ArrayDeque<>(List.of(first));
        while (!todo.isEmpty()) {
            for (String peer : byName.get(todo.pop()).peers()) {
                if (reached.add(peer)) {
                    todo.push(peer);
                }
            }
        }
        if (reached.size() != byName.size()) {
            Set<String> unreached = new TreeSet<>(byName.keySet());
            unreached.removeAll(reached);
            throw new ConfigException("servers: the herd is not connected: " + String.join(", ", unreached)
                    + " cannot be reached from " + first);
        }
    }

    /** {@code name}, if a server of this topology has it; else an IllegalArgumentException naming the servers there are. */
    public String requireName(String name) {
        if (!names().contains(name)) {
            throw new IllegalArgumentException("unknown server " + name + " (expected one of: " + String.join(", ", names()) + ")");
        }
        return name;
    }
}
