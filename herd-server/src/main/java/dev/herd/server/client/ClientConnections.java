package dev.herd.server.client;

import dev.herd.server.log.ServerLog;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Every client connection a server has accepted and not yet closed: counted, drained and closed together. */
public final class ClientConnections {
    private static final ServerLog LOG = ServerLog.of(ClientConnections.class);
    private final ChannelGroup open = new DefaultChannelGroup("connections", GlobalEventExecutor.INSTANCE);

    /** Counts {@code channel} until it closes. */
    void add(Channel channel) {
        open.add(channel);
    }

    public int size() {
        return open.size();
    }

    /**
     * Lets every connection receive the replies it is owed, for at most {@code limit}: each stops
     * reading, has its WHATSATs still waiting for Places answered at once with the error of a failed
     * query, and closes once it owes nothing.
     */
    public void drain(String server, Duration limit) {
        LOG.info("{} stopping: answering what {} connections are owed (at most {} ms)", server, open.size(), limit.toMillis());
        for (Channel ch : open) {
            ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(ClientHandler.DRAIN));
        }
        open.newCloseFuture().awaitUninterruptibly(limit.toMillis());
    }

    /** Closes every connection, waiting a second at most. */
    public void close() {
        open.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
}
