package dev.herd.testkit;

import dev.herd.server.HerdServer;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The relays a {@link Herd}'s peer links run through, one per direction of each link, on one thread of
 * their own: how links are cut, delayed or made to drop updates without root or network namespaces.
 */
final class HerdLinks implements AutoCloseable {
    /** One relay per directed peer link, keyed "From->To". */
    private final Map<String, LinkProxy> proxies = new ConcurrentHashMap<>();
    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("herd-link-proxies", true), NioIoHandler.newFactory());

    /** A relay for every link of {@code topology}, each reaching its target's peer port through {@code peerAddress}. */
    HerdLinks(Topology topology, Function<String, InetSocketAddress> peerAddress) {
        for (ServerSpec spec : topology.servers()) {
            for (String peer : spec.peers()) {
                proxies.put(spec.name() + "->" + peer, new LinkProxy(loop, () -> peerAddress.apply(peer)));
            }
        }
    }

    /** Where server {@code from} links to {@code peer}: the relay's address. */
    InetSocketAddress address(String from, String peer) {
        return proxies.get(from + "->" + peer).address();
    }

    /** Whether every link between the {@code running} servers is open, both ways, except links that are cut. */
    boolean allUp(Map<String, HerdServer> running) {
        return running.entrySet().stream().allMatch(s -> s.getValue().peerLinks().entrySet().stream()
                .allMatch(link -> !running.containsKey(link.getKey()) || link.getValue()
                        || proxies.get(s.getKey() + "->" + link.getKey()).isCut()));
    }

    /** The links between {@code running} servers that are not up, as {@code A->B} in name order, cut ones marked; "" if none. */
    String down(Map<String, HerdServer> running) {
        List<String> down = new ArrayList<>();
        running.forEach((name, server) -> server.peerLinks().forEach((peer, up) -> {
            if (!up && running.containsKey(peer)) {
                down.add(name + "->" + peer + (proxies.get(name + "->" + peer).isCut() ? " (cut)" : ""));
            }
        }));
        down.sort(null);
        return String.join(", ", down);
    }

    void cut(String a, String b) {
        both(a, b, LinkProxy::cut);
    }

    void heal(String a, String b) {
        both(a, b, LinkProxy::heal);
    }

    void delay(String a, String b, Duration delay) {
        both(a, b, p -> p.delay(delay.toMillis()));
    }

    void drop(String a, String b, double fraction) {
        if (fraction < 0 || fraction > 1) {
            throw new IllegalArgumentException("fraction: " + fraction + " (expected: 0 to 1)");
        }
        both(a, b, p -> p.drop(fraction));
    }

    void silence(String a, String b) {
        both(a, b, LinkProxy::silence);
    }

    private void both(String a, String b, Consumer<LinkProxy> action) {
        LinkProxy ab = proxies.get(a + "->" + b);
        LinkProxy ba = proxies.get(b + "->" + a);
        if (ab == null || ba == null) {
            throw new IllegalArgumentException("no link between " + a + " and " + b);
        }
        List.of(ab, ba).forEach(action);
    }

    @Override
    public void close() {
        proxies.values().forEach(LinkProxy::close);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
