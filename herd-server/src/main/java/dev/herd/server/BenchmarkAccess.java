package dev.herd.server;

import dev.herd.protocol.At;
import dev.herd.protocol.codec.HerdCodec;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.peer.Peers;
import io.netty.channel.embedded.EmbeddedChannel;

import java.time.Clock;
import java.time.Duration;

/**
 * The server's client pipeline on an {@link EmbeddedChannel}, for herd-bench: the same handlers as a
 * real connection, with no peers and the offline Places source not loaded.
 */
public final class BenchmarkAccess {
    private BenchmarkAccess() {
    }

    public static EmbeddedChannel clientPipeline(String serverName) {
        Peers noPeers = new Peers() {
            @Override
            public boolean isPeer(String name) {
                return false;
            }

            @Override
            public boolean flood(At update, String fromPeer, Runnable whenSent) {
                return false; // No peers in this benchmark.
            }
        };
        ClientHandler handler = new ClientHandler(serverName, new LocationStore(), noPeers,
                new dev.herd.server.places.OfflinePlaces(new io.netty.util.concurrent.DefaultThreadFactory("bench-places", true)),
                Clock.systemUTC(), Duration.ofSeconds(10));
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.attr(ConnectionState.KEY).set(new ConnectionState(HerdConfig.DEFAULT_MAX_OWED_REPLIES));
        HerdCodec.addClientCodecTo(channel.pipeline(), HerdCodec.DEFAULT_MAX_LINE_LENGTH);
        channel.pipeline().addLast(HerdPipeline.HANDLER, handler);
        return channel;
    }
}
