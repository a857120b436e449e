package dev.herd.server.client;

import dev.herd.protocol.codec.HerdCodec;
import dev.herd.server.config.ClientLimits;
import dev.herd.server.internal.HerdPipeline;
import dev.herd.server.log.ServerLog;
import dev.herd.server.metrics.HerdMetrics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Pipeline of every connection accepted on the client port: idle detection, line framing, decoding
 * of client commands, the shared client handler, encoding. Per-connection state lives in {@link ConnectionState}.
 * Past the connection limit, a new connection is closed at once.
 */
// Channel, not SocketChannel: nothing here is socket-specific, and the benchmarks and tests run the very
// same pipeline on an EmbeddedChannel.
public final class ClientPipelineInitializer extends ChannelInitializer<Channel> {
    private static final ServerLog LOG = ServerLog.of(ClientPipelineInitializer.class);
    private final int maxLineLength;
    private final Supplier<ClientHandler> handler;

    private final ClientConnections connections;
    private final int maxOwedReplies;
    private final int maxConnections;
    private final long idleMillis;
    private final long lineTimeoutMillis;
    private final int maxOutputBytes;
    private final AtomicLong refused = new AtomicLong();
    private final SslContext tls;
    private final HerdMetrics metrics;

    /**
     * {@code handler} is asked per connection: it exists once the server accepts, not at bind time.
     * Each connection joins {@code connections} (and leaves it when closed).
     */
    public ClientPipelineInitializer(ClientLimits limits, @Nullable SslContext tls, Supplier<ClientHandler> handler, ClientConnections connections,
                              HerdMetrics metrics) {
        this.metrics = metrics;
        this.tls = tls;
        this.maxLineLength = limits.maxLineLength();
        this.maxOwedReplies = limits.maxOwedReplies();
        this.maxConnections = limits.maxConnections();
        this.idleMillis = limits.idleTimeout().toMillis();
        this.lineTimeoutMillis = limits.lineTimeout().toMillis();
        this.maxOutputBytes = limits.maxOutputBytes();
        this.handler = handler;
        this.connections = connections;
    }

    @Override
    protected void initChannel(Channel ch) {
        if (connections.size() >= maxConnections) {
            metrics.connectionRefused();
            long n = refused.incrementAndGet();
            if (n % 1000 == 1) {
                LOG.warn("{} connections open, the limit; closing new ones ({} closed so far, now {})",
                        maxConnections, n, ch.remoteAddress());
            }
            ch.close();
            return;
        }
        connections.add(ch);
        metrics.connectionAccepted();
        // The output budget: past it the channel is unwritable, and the connection's next lines wait.
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(maxOutputBytes / 2, maxOutputBytes));
        ch.attr(ConnectionState.KEY).set(new ConnectionState(maxOwedReplies));
        if (tls != null) {
            ch.pipeline().addLast(HerdPipeline.TLS, tls.newHandler(ch.alloc()));
        }
        if (idleMillis > 0) {
            ch.pipeline().addLast(HerdPipeline.IDLE, new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
        }
        if (lineTimeoutMillis > 0) {
            ch.pipeline().addLast(HerdPipeline.LINE_DEADLINE, new LineDeadline(lineTimeoutMillis));
        }
        HerdCodec.addClientCodecTo(ch.pipeline(), maxLineLength);
        ch.pipeline().addLast(HerdPipeline.HANDLER, handler.get());
    }
}
