package dev.herd.server.peer;

import dev.herd.protocol.At;
import dev.herd.protocol.PeerGreeting;
import dev.herd.protocol.TreeLine;
import dev.herd.server.config.HerdSecret;
import dev.herd.server.internal.Backoff;
import dev.herd.server.log.ProtocolLog;
import dev.herd.server.log.ServerLog;
import dev.herd.server.store.Replica;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import org.jspecify.annotations.Nullable;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Sends updates to this server's peers: one {@link PeerLink} per peer, to the peer's peer port, all
 * made from one client {@link Bootstrap} on the server's own event loops. Flooding by default; in tree
 * mode, along the herd's spanning tree with notices on the other links ({@link TreeBroadcast}).
 */
public final class Flooder implements Peers {
    private static final ServerLog LOG = ServerLog.of(Flooder.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    /**
     * The links by peer, replaced whole (never changed in place) when the topology is reloaded, so any
     * thread reads a consistent set; written only on the peer loop.
     */
    private volatile Map<String, PeerLink> links = Map.of();
    /** The same links, for the flood path. */
    private volatile PeerLink[] linkList = new PeerLink[0];
    private final PeerGreeting greeting;
    private final Function<String, InetSocketAddress> addresses;
    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final Backoff backoff;
    private final HerdSecret secret;
    private final Replica replica;
    private final Executor comparisons;
    private final ProtocolLog lines;
    private boolean started;
    /** The tree mode's state, or null when flooding. */
    private final @Nullable TreeBroadcast tree;
    /** Peers that sent tree lines to this flooding server, each logged once (peer loop only). */
    private final Set<String> mismatchLogged = new HashSet<>();

    /**
     * @param addresses the current address of a peer by name, asked again on every connect attempt;
     *                  {@code null} while unknown
     * @param loop      the server's peer loop, which every link lives on
     */
    public Flooder(String self, Iterable<String> peers, Function<String, InetSocketAddress> addresses,
                   EventLoop loop, Class<? extends SocketChannel> channelClass, Backoff backoff,
                   HerdSecret secret, Replica replica, Executor comparisons, SslContext tls,
                   ProtocolLog lines, @Nullable Set<String> treePeers) {
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new PeerLinkInitializer(tls));
        this.greeting = PeerGreeting.of(self);
        this.addresses = addresses;
        this.loop = loop;
        this.backoff = backoff;
        this.secret = secret;
        this.replica = replica;
        this.comparisons = comparisons;
        this.lines = lines;
        this.tree = treePeers == null ? null : new TreeBroadcast(loop, () -> linkList, peer -> links.get(peer), treePeers);
        replaceLinks(peers);
    }

    public void start() {
        started = true;
        links.values().forEach(PeerLink::start);
    }

    /**
     * Links to exactly {@code peers} from now on (a reloaded topology): a new peer gets a link, which
     * opens at once and starts with a store comparison, so the peer is caught up; a link to a peer no
     * longer listed is closed; the others carry on untouched. Runs on the peer loop; the future says
     * which peers were added and which removed.
     */
    public Future<Change> setPeers(Collection<String> peers, @Nullable Set<String> treePeers) {
        Promise<Change> done = loop.newPromise();
        loop.execute(() -> {
            if (tree != null && treePeers != null) {
                tree.treePeers(treePeers);
            }
            Map<String, PeerLink> before = links;
            List<String> added = replaceLinks(peers);
            List<String> removed = new ArrayList<>();
            before.forEach((peer, link) -> {
                if (!links.containsKey(peer)) {
                    removed.add(peer);
                    link.close();
                }
            });
            if (started) {
                added.forEach(peer -> links.get(peer).start());
            }
            done.setSuccess(new Change(added, List.copyOf(removed)));
        });
        return done;
    }

    /** What a {@link #setPeers} changed: the peers linked to now and the ones no longer. */
    public record Change(List<String> added, List<String> removed) {
    }

    /** Makes the links those to {@code peers}, keeping the existing ones; the peers that are new. */
    private List<String> replaceLinks(Iterable<String> peers) {
        Map<String, PeerLink> before = links;
        Map<String, PeerLink> next = new LinkedHashMap<>();
        List<String> added = new ArrayList<>();
        for (String peer : peers) {
            PeerLink link = before.get(peer);
            if (link == null) {
                // Every link lives on the server's peer loop, as the connections its peers open do: an update
                // that arrives from one peer is written to the others on the thread that read it, with no
                // hand-over to another thread (which may wait for that thread to wake) at any hop.
                link = new PeerLink(greeting, peer, () -> addresses.apply(peer), bootstrap.clone(loop), loop, backoff,
                        secret, replica, comparisons, lines);
                added.add(peer);
            }
            next.put(peer, link);
        }
        links = Collections.unmodifiableMap(next);
        linkList = next.values().toArray(new PeerLink[0]);
        return List.copyOf(added);
    }

    @Override
    public boolean flood(At update, String fromPeer, Runnable whenSent) {
        if (tree != null) {
            return tree.broadcast(update, fromPeer, whenSent);
        }
        PeerLink[] current = linkList;
        // The links that are up now are the ones the ack waits for: each answers it exactly once.
        boolean[] waitFor = new boolean[current.length];
        int up = 0;
        for (int i = 0; i < current.length; i++) {
            if (whenSent != null && !current[i].peer().equals(fromPeer) && current[i].isUp()) {
                waitFor[i] = true;
                up++;
            }
        }
        FloodAck ack = up == 0 ? null : new FloodAck(up, whenSent);
        for (int i = 0; i < current.length; i++) {
            if (!current[i].peer().equals(fromPeer)) {
                current[i].send(update, waitFor[i] ? ack : null);
            }
        }
        return ack != null;
    }

    @Override
    public void notKept(At update) {
        if (tree != null) {
            tree.notKept(update);
        }
    }

    /** In tree mode, the peers this server sends updates to whole (its tree links); null when flooding. Any thread. */
    public @Nullable Set<String> treePeers() {
        return tree == null ? null : tree.treePeers();
    }

    @Override
    public void onTreeLine(TreeLine line, String fromPeer) {
        if (tree != null) {
            tree.onLine(line, fromPeer);
        } else if (mismatchLogged.add(fromPeer)) {
            LOG.warn("peer {} sends tree-mode lines ({}) but this server floods: give every server of the herd the same"
                    + " \"dissemination\" (until then updates still arrive, some only by store comparison)", fromPeer,
                    line.command());
        }
    }

    /** {@code peer} has just linked to this server: it is up, so this server's own link to it may retry now. */
    public void reachedBy(String peer) {
        PeerLink link = links.get(peer);
        if (link != null) {
            link.kick();
        }
    }

    @Override
    public boolean isPeer(String name) {
        return links.containsKey(name);
    }

    /** Whether the link to each peer is open now, by peer name. */
    public Map<String, Boolean> linksUp() {
        Map<String, Boolean> up = new LinkedHashMap<>();
        links.forEach((peer, link) -> up.put(peer, link.isUp()));
        return up;
    }

    public Map<String, PeerLink> links() {
        return links;
    }

    /** Closes every link and waits (briefly) until they are closed; call from outside the event loops. */
    public void close() {
        List<Future<Void>> closing = new ArrayList<>();
        links.values().forEach(link -> closing.add(link.close()));
        closing.forEach(f -> f.awaitUninterruptibly(1, TimeUnit.SECONDS));
    }
}
