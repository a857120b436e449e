package dev.herd.server;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.server.admin.ServerView;
import dev.herd.server.client.ClientConnections;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.metrics.HerdMetrics;
import dev.herd.server.peer.Flooder;
import dev.herd.server.peer.PeerLink;
import dev.herd.server.store.LocationStore;
import dev.herd.server.store.Updates;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/** What the admin endpoint reads of a serving server: its counters, store, links and herd. */
final class AdminView implements ServerView {
    private final HerdConfig config;
    private final InetSocketAddress clients;
    private final InetSocketAddress admin;
    private final BooleanSupplier serving;
    private final HerdMetrics metrics;
    private final Updates updates;
    private final Flooder flooder;
    private final ClientConnections connections;
    private final Function<String, InetSocketAddress> adminAddresses;

    AdminView(HerdConfig config, InetSocketAddress clients, InetSocketAddress admin, BooleanSupplier serving,
              HerdMetrics metrics, Updates updates, Flooder flooder, ClientConnections connections,
              Function<String, InetSocketAddress> adminAddresses) {
        this.config = config;
        this.clients = clients;
        this.admin = admin;
        this.serving = serving;
        this.metrics = metrics;
        this.updates = updates;
        this.flooder = flooder;
        this.connections = connections;
        this.adminAddresses = adminAddresses;
    }

    static String hostPort(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    @Override
    public String name() {
        return config.name();
    }

    /** Where clients reach this server: the advertised address where it listens on every address. */
    @Override
    public String address() {
        return ServerSpec.isWildcard(config.self().host()) ? config.self().advertise() + ":" + clients.getPort() : hostPort(clients);
    }

    @Override
    public boolean serving() {
        return serving.getAsBoolean();
    }

    @Override
    public HerdMetrics metrics() {
        return metrics;
    }

    @Override
    public int records() {
        LocationStore store = updates.store();
        return store.size();
    }

    @Override
    public Optional<At> record(String clientId) {
        return Optional.ofNullable(updates.store().get(Bytes.utf8(clientId)));
    }

    @Override
    public List<String> problems() {
        String failure = updates.journalFailure();
        return failure == null ? List.of()
                : List.of("journal " + config.journalFile() + " cannot be written (" + failure
                        + "): IAMATs are refused until it can");
    }

    @Override
    public int openConnections() {
        return connections.size();
    }

    @Override
    public List<PeerState> peers() {
        List<PeerState> peers = new ArrayList<>();
        Set<String> tree = flooder.treePeers();
        for (PeerLink link : flooder.links().values()) {
            peers.add(new PeerState(link.peer(), link.isUp(), link.reconnects(), link.sent(), link.sentBytes(), link.overflowed(),
                    tree == null ? null : tree.contains(link.peer())));
        }
        return peers;
    }

    @Override
    public String dissemination() {
        return config.dissemination().spelling();
    }

    @Override
    public List<Member> herd() {
        List<Member> herd = new ArrayList<>();
        for (ServerSpec spec : config.topology().servers()) {
            InetSocketAddress address = spec.name().equals(config.name()) ? admin : adminAddresses.apply(spec.name());
            herd.add(new Member(spec.name(), address == null ? null : "http://" + hostPort(address), spec.peers()));
        }
        return herd;
    }
}
