package dev.herd.bench;

import dev.herd.server.client.ClientConnections;
import dev.herd.server.client.ClientHandler;
import dev.herd.server.client.ClientPipelineInitializer;
import dev.herd.server.config.ClientLimits;
import dev.herd.server.metrics.HerdMetrics;
import dev.herd.server.places.OfflinePlaces;
import dev.herd.server.store.Fanout;
import dev.herd.server.store.LocationStore;
import dev.herd.server.store.UpdateListener;
import dev.herd.server.store.Updates;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The whole client pipeline of a server (framer, decoder, handler, encoder) on an EmbeddedChannel:
 * 16 pipelined IAMAT lines in, 16 AT replies out, with no peers and the line log off.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dherd.lineLog=off", "-Dlog4j2.configurationFile=herd-log4j2.xml"})
public class PipelineBenchmark {
    private static final int BATCH = 16;
    private EmbeddedChannel channel;
    private byte[] batch;

    @Setup
    public void setUp() {
        // The server's own client pipeline, with no peers and the offline Places source (never asked here).
        Updates updates = new Updates(new LocationStore(), null, Fanout.NONE, UpdateListener.NONE);
        ClientHandler handler = new ClientHandler(new ClientHandler.Services("Hill", updates,
                new OfflinePlaces(new DefaultThreadFactory("bench-places", true)), Clock.systemUTC(), Duration.ofSeconds(10)));
        channel = new EmbeddedChannel(new ClientPipelineInitializer(ClientLimits.DEFAULT, null, () -> handler,
                new ClientConnections(), new HerdMetrics("offline")));
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < BATCH; i++) {
            lines.append("IAMAT kiwi").append(i).append(" +34.068930-118.445127 1621464827.").append(100000000 + i).append('\n');
        }
        batch = lines.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    /** Time for one batch of 16 lines; divide by 16 for one line. */
    @Benchmark
    public int sixteenIamats() {
        channel.writeInbound(Unpooled.wrappedBuffer(batch));
        int bytes = 0;
        for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
            bytes += out.readableBytes();
            out.release();
        }
        return bytes;
    }
}
