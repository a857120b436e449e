package dev.herd.server.peer;

import dev.herd.protocol.At;
import dev.herd.protocol.PeerGreeting;
import dev.herd.server.config.HerdSecret;
import dev.herd.server.internal.Backoff;
import dev.herd.server.log.ProtocolLog;
import dev.herd.server.store.Replica;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Sends updates to this server's peers: one {@link PeerLink} per peer, to the peer's peer port, all
 * made from one client {@link Bootstrap} on the server's own event loops.
 */
public final class Flooder implements Peers {
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    private final Map<String, PeerLink> links = new LinkedHashMap<>();
    /** The same links, for the flood path. */
    private final PeerLink[] linkList;

    /**
     * @param addresses the current address of a peer by name, asked again on every connect attempt;
     *                  {@code null} while unknown
     * @param loop      the server's peer loop, which every link lives on
     */
    public Flooder(String self, Iterable<String> peers, Function<String, InetSocketAddress> addresses,
                   EventLoop loop, Class<? extends SocketChannel> channelClass, Backoff backoff,
                   HerdSecret secret, Replica replica, Executor comparisons, SslContext tls,
                   ProtocolLog lines) {
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new PeerLinkInitializer(tls));
        PeerGreeting greeting = PeerGreeting.of(self);
        for (String peer : peers) {
            // Every link lives on the server's peer loop, as the connections its peers open do: an update
            // that arrives from one peer is written to the others on the thread that read it, with no
            // hand-over to another thread (which may wait for that thread to wake) at any hop.
            links.put(peer, new PeerLink(greeting, peer, () -> addresses.apply(peer), bootstrap.clone(loop), loop, backoff,
                    secret, replica, comparisons, lines));
        }
        linkList = links.values().toArray(new PeerLink[0]);
    }

    public void start() {
        links.values().forEach(PeerLink::start);
    }

    @Override
    public boolean flood(At update, String fromPeer, Runnable whenSent) {
        // The links that are up now are the ones the ack waits for: each answers it exactly once.
        boolean[] waitFor = new boolean[linkList.length];
        int up = 0;
        for (int i = 0; i < linkList.length; i++) {
            if (whenSent != null && !linkList[i].peer().equals(fromPeer) && linkList[i].isUp()) {
                waitFor[i] = true;
                up++;
            }
        }
        FloodAck ack = up == 0 ? null : new FloodAck(up, whenSent);
        for (int i = 0; i < linkList.length; i++) {
            if (!linkList[i].peer().equals(fromPeer)) {
                linkList[i].send(update, waitFor[i] ? ack : null);
            }
        }
        return ack != null;
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
        return Collections.unmodifiableMap(links);
    }

    /** Closes every link and waits (briefly) until they are closed; call from outside the event loops. */
    public void close() {
        List<Future<Void>> closing = new ArrayList<>();
        links.values().forEach(link -> closing.add(link.close()));
        closing.forEach(f -> f.awaitUninterruptibly(1, TimeUnit.SECONDS));
    }
}
