package dev.herd.server.client;

import dev.herd.protocol.Invalid;
import dev.herd.protocol.Message;
import dev.herd.protocol.MessageParser;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** One connection's replies in order, and its backpressure: paused past its debt, read again once caught up. */
class ConnectionStateTest {
    private static final String LINE_A = "AT Hill +0.263873386 a +34.068930-118.445127 1621464827.959498503";
    private static final String LINE_B = "AT Hill +0.263873386 b +34.068930-118.445127 1621464827.959498503";
    private static final Message A = MessageParser.parse(LINE_A);
    private static final Message B = MessageParser.parse(LINE_B);

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final ChannelHandlerContext ctx = channel.pipeline().firstContext();

    private String written() {
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            out.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return out.toString();
    }

    @Test
    void aReplyWaitsBehindTheOnesOwedBeforeIt() {
        ConnectionState state = new ConnectionState(16);
        ReplySlot first = state.reserve(null);
        state.reply(ctx, B);
        state.flush(ctx);
        assertThat(written()).as("B waits for the reply owed before it").isEmpty();
        assertThat(A).isNotInstanceOf(Invalid.class);
        assertThat(state.owesNothing()).isFalse();
        state.complete(ctx, first, A);
        assertThat(written()).isEqualTo(LINE_A + "\n" + LINE_B + "\n");
        assertThat(state.owesNothing()).isTrue();
        assertThat(first.isFilled()).isTrue();
    }

    @Test
    void readingStopsAtTheDebtLimitAndStartsAgainAtHalfOfIt() {
        ConnectionState state = new ConnectionState(4);
        List<ReplySlot> slots = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            slots.add(state.reserve(null));
        }
        state.pauseIfBehind(ctx);
        assertThat(state.isPaused()).as("three owed of four").isFalse();
        slots.add(state.reserve(null));
        state.pauseIfBehind(ctx);
        assertThat(state.isPaused()).isTrue();
        assertThat(channel.config().isAutoRead()).isFalse();
        state.complete(ctx, slots.get(0), A);
        assertThat(state.isPaused()).as("three owed: still behind").isTrue();
        state.complete(ctx, slots.get(1), A);
        assertThat(state.isPaused()).as("two owed: caught up").isFalse();
        assertThat(channel.config().isAutoRead()).isTrue();
        written();
    }

    @Test
    void aHeldLineIsOwedAndKeepsTheConnectionPaused() {
        ConnectionState state = new ConnectionState(4);
        assertThat(state.owesNothing()).isTrue();
        state.hold(B);
        assertThat(state.owesNothing()).isFalse();
        state.pauseIfBehind(ctx);
        assertThat(state.isPaused()).isTrue();
        state.resumeIfCaughtUp(ctx);
        assertThat(state.isPaused()).as("a line still waits").isTrue();
        assertThat(state.nextHeld(ctx, 1)).isSameAs(B);
        state.resumeIfCaughtUp(ctx);
        assertThat(state.isPaused()).isFalse();
    }

    @Test
    void aClientThatStopsSendingIsClosedOnceItIsOwedNothing() {
        ConnectionState state = new ConnectionState(4);
        ReplySlot slot = state.reserve(null);
        state.inputClosed(ctx);
        assertThat(channel.isOpen()).as("a reply is still owed").isTrue();
        state.complete(ctx, slot, A);
        channel.runPendingTasks();
        assertThat(written()).isEqualTo(LINE_A + "\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aClientBehindForTheStallLimitIsClosed() {
        ConnectionState state = new ConnectionState(1);
        state.reserve(null);
        state.pauseIfBehind(ctx);
        channel.advanceTimeBy(ConnectionState.STALL_LIMIT_SECONDS - 1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void theClientIsNamedByItsAddressOnce() {
        ConnectionState state = new ConnectionState(4);
        String who = state.who(ctx);
        assertThat(who).isEqualTo(String.valueOf(channel.remoteAddress()));
        assertThat(state.who(ctx)).isSameAs(who);
    }
}
