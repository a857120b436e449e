package dev.herd.server.peer;

import dev.herd.protocol.At;
import dev.herd.protocol.Digest;
import dev.herd.protocol.PeerGreeting;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;

import io.netty.util.concurrent.Future;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Sends updates to this server's peers: one {@link PeerLink} per peer, all made from one client
 * {@link Bootstrap} on the server's own event loops.
 */
public final class Flooder implements Peers {
    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    private final Map<String, PeerLink> links = new LinkedHashMap<>();

    /**
     * @param addresses the current address of a peer by name, asked again on every connect attempt;
     *                  {@code null} while unknown
     */
    public Flooder(String self, Iterable<String> peers, Function<String, InetSocketAddress> addresses,
                   EventLoopGroup group, Class<? extends SocketChannel> channelClass, Backoff backoff,
                   HerdSecret secret, Supplier<List<byte[]>> records, Supplier<Digest> digest, SslContext tls) {
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new PeerLinkInitializer(tls));
        PeerGreeting greeting = PeerGreeting.of(self);
        for (String peer : peers) {
            // Each link's channel lives on the loop that owns the link's state, so writing and flushing an
            // update never crosses threads (a write handed to another loop may wait for it to wake).
            EventLoop loop = group.next();
            links.put(peer, new PeerLink(greeting, peer, () -> addresses.apply(peer), bootstrap.clone(loop), loop, backoff, secret, records, digest));
        }
    }

    public void start() {
        links.values().forEach(PeerLink::start);
    }

    @Override
    public void flood(At update, String fromPeer) {
        for (PeerLink link : links.values()) {
            if (!link.peer().equals(fromPeer)) {
                link.send(update);
            }
        }
    }

    @Override
    public boolean isPeer(String name) {
        return links.containsKey(name);
    }

    public Map<String, PeerLink> links() {
        return java.util.Collections.unmodifiableMap(links);
    }

    /** Closes every link and waits (briefly) until they are closed; call from outside the event loops. */
    public void close() {
        List<Future<Void>> closing = new ArrayList<>();
        links.values().forEach(link -> closing.add(link.close()));
        closing.forEach(f -> f.awaitUninterruptibly(1, TimeUnit.SECONDS));
    }
}
