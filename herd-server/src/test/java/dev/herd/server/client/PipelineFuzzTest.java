package dev.herd.server.client;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.protocol.At;
import dev.herd.protocol.Location;
import dev.herd.protocol.MessageParser;
import dev.herd.protocol.Radius;
import dev.herd.protocol.codec.HerdCodec;
import dev.herd.server.internal.HerdPipeline;
import dev.herd.server.places.Places;
import dev.herd.server.places.PlacesJson;
import dev.herd.server.store.Fanout;
import dev.herd.server.store.LocationStore;
import dev.herd.server.store.UpdateListener;
import dev.herd.server.store.Updates;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's whole client pipeline under any byte stream: no exception escapes, and every line
 * (over-long ones and a last line without newline included) gets exactly one reply.
 * {@code mvn verify} fuzzes it for a few seconds (JAZZER_FUZZ=1 in the surefire configuration).
 */
class PipelineFuzzTest {
    private static final int MAX_LINE = 128;

    private static final Places INSTANT = new Places() {
        @Override
        public CompletableFuture<JsonNode> nearby(Location location, Radius radius) {
            return CompletableFuture.completedFuture(PlacesJson.error("ZERO_RESULTS", "none"));
        }

        @Override
        public String describe() {
            return "instant";
        }

        @Override
        public void close() {
        }
    };

    @FuzzTest(maxDuration = "5s")
    void everyLineGetsExactlyOneReply(byte[] stream) {
        LocationStore store = new LocationStore();
        store.offer((At) MessageParser.parse("AT Hill +0.000000001 kiwi +34.06-118.44 1"));
        ClientHandler handler = new ClientHandler(new ClientHandler.Services("Hill",
                new Updates(store, null, Fanout.NONE, UpdateListener.NONE), INSTANT, Clock.systemUTC(), Duration.ofSeconds(5)));
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        ch.attr(ConnectionState.KEY).set(new ConnectionState(1 << 20));
        HerdCodec.addClientCodecTo(ch.pipeline(), MAX_LINE);
        ch.pipeline().addLast(HerdPipeline.HANDLER, handler);

        ch.writeInbound(Unpooled.wrappedBuffer(stream));
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        ch.runPendingTasks();
        ch.checkException();

        ByteArrayOutputStream output = new ByteArrayOutputStream();
        for (Object out; (out = ch.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) out;
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            output.writeBytes(bytes);
            buf.release();
        }
        assertThat(replies(output.toByteArray())).isEqualTo(lines(stream));
        ch.finishAndReleaseAll();
    }

    /**
     * How many replies {@code output} holds (replies to one read share a buffer): a {@code ? } line, an
     * AT line, or an AT line with its Places JSON, which ends with a blank line.
     */
    private static int replies(byte[] output) {
        String[] lines = new String(output, StandardCharsets.ISO_8859_1).split("\n", -1);
        int replies = 0;
        for (int i = 0; i < lines.length - 1; i++) {
            assertThat(lines[i]).as("reply line %d", i).matches("(?s)(\\? |AT ).*");
            replies++;
            if (lines[i].startsWith("AT ") && i + 1 < lines.length - 1 && lines[i + 1].startsWith("{")) {
                while (!lines[++i].isEmpty()) {
                    // the JSON, up to the blank line that ends it
                }
            }
        }
        assertThat(lines[lines.length - 1]).as("output ends with a line end").isEmpty();
        return replies;
    }

    /** How many lines the protocol sees in {@code stream}: one per newline, plus bytes left at the end. */
    private static int lines(byte[] stream) {
        int lines = 0;
        for (byte b : stream) {
            if (b == '\n') {
                lines++;
            }
        }
        return stream.length > 0 && stream[stream.length - 1] != '\n' ? lines + 1 : lines;
    }
}
