package dev.herd.protocol.codec;

import dev.herd.protocol.At;
import dev.herd.protocol.IAmAt;
import dev.herd.protocol.Invalid;
import dev.herd.protocol.Message;
import dev.herd.protocol.MessageParser;
import dev.herd.protocol.TooLongLine;
import dev.herd.protocol.WhatsAt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HerdCodecTest {
    private static final String IAMAT = "IAMAT kiwi +34.068930-118.445127 1621464827.959498503";

    private static EmbeddedChannel channel(int maxLineLength) {
        EmbeddedChannel ch = new EmbeddedChannel();
        HerdCodec.addTo(ch.pipeline(), maxLineLength);
        return ch;
    }

    private static List<Message> drain(EmbeddedChannel ch) {
        List<Message> out = new ArrayList<>();
        for (Object m; (m = ch.readInbound()) != null; ) {
            out.add((Message) m);
        }
        return out;
    }

    @Test
    void decodesPipelinedLinesInOneBuffer() {
        EmbeddedChannel ch = channel(1024);
        ch.writeInbound(buf(IAMAT + "\nWHATSAT kiwi 10 5\nbogus\n"));
        List<Message> messages = drain(ch);
        assertThat(messages).hasSize(3);
        assertThat(messages.get(0)).isInstanceOf(IAmAt.class);
        assertThat(messages.get(1)).isInstanceOf(WhatsAt.class);
        assertThat(messages.get(2)).isInstanceOf(Invalid.class);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void decodesALineSplitIntoSingleBytes() {
        EmbeddedChannel ch = channel(1024);
        byte[] bytes = (IAMAT + "\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < bytes.length - 1; i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {bytes[i]}));
            assertThat((Object) ch.readInbound()).isNull();
        }
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {bytes[bytes.length - 1]}));
        assertThat(drain(ch)).singleElement().isInstanceOf(IAmAt.class);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void crlfEndingIsNotPartOfTheLine() {
        EmbeddedChannel ch = channel(1024);
        ch.writeInbound(buf("bad line\r\n"));
        Invalid invalid = (Invalid) drain(ch).get(0);
        assertThat(invalid.line().toString()).isEqualTo("bad line");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void blankLinesAreInvalidLines() {
        EmbeddedChannel ch = channel(1024);
        ch.writeInbound(buf("\n \t\n"));
        List<Message> messages = drain(ch);
        assertThat(messages).extracting(m -> ((Invalid) m).line().toString()).containsExactly("", " \t");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void overLongLineIsAnsweredWithItsPrefixAndTheConnectionStaysUsable() {
        EmbeddedChannel ch = channel(100);
        String longLine = "IAMAT " + "x".repeat(300);
        ch.writeInbound(buf(longLine.substring(0, 150)));
        ch.writeInbound(buf(longLine.substring(150) + "\n" + IAMAT + "\n"));
        List<Message> messages = drain(ch);
        assertThat(messages).hasSize(2);
        assertThat(((TooLongLine) messages.get(0)).prefix().toString()).isEqualTo(longLine.substring(0, 64));
        assertThat(messages.get(1)).isInstanceOf(IAmAt.class);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void overLongLineEndingInTheSameBufferIsAnsweredOnce() {
        EmbeddedChannel ch = channel(100);
        String longLine = "y".repeat(101);
        ch.writeInbound(buf(longLine + "\r\n" + longLine + "\nok\n"));
        List<Message> messages = drain(ch);
        assertThat(messages).hasSize(3);
        assertThat(messages.get(0)).isInstanceOf(TooLongLine.class);
        assertThat(messages.get(1)).isInstanceOf(TooLongLine.class);
        assertThat(((Invalid) messages.get(2)).line().toString()).isEqualTo("ok");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void shortMaximumEchoesOnlyTheLine() {
        EmbeddedChannel ch = channel(10);
        ch.writeInbound(buf("0123456789AB\r\n"));
        assertThat(((TooLongLine) drain(ch).get(0)).prefix().toString()).isEqualTo("0123456789AB");
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void bytesLeftAtTheEndOfAClientsInputAreALastLine() {
        EmbeddedChannel ch = new EmbeddedChannel();
        HerdCodec.addClientCodecTo(ch.pipeline(), 1024);
        ch.writeInbound(buf("WHATSAT kiwi 10 5\n" + IAMAT));
        assertThat(drain(ch)).hasSize(1);
        assertThat(ch.finish()).as("the end of input decodes the last line").isTrue();
        assertThat(drain(ch)).singleElement().isInstanceOf(IAmAt.class);
    }

    @Test
    void aPeersLineCutShortByTheLinkClosingIsDropped() {
        // A peer ends every line; bytes without a newline at the end are what a closing link cut off.
        EmbeddedChannel ch = channel(1024);
        ch.writeInbound(buf("AT Hill +0.263873386 kiwi +34.068930-118.445127 1621464827.959498503\nAT Hill +0.2638 ki"));
        assertThat(drain(ch)).singleElement().isInstanceOf(At.class);
        assertThat(ch.finish()).as("nothing left unread in the channel").isFalse();
        assertThat(drain(ch)).isEmpty();
    }

    @Test
    void tailOfAnOverLongLineAtEndOfInputIsNotALine() {
        EmbeddedChannel ch = channel(100);
        ch.writeInbound(buf("z".repeat(250)));
        assertThat(drain(ch)).singleElement().isInstanceOf(TooLongLine.class);
        assertThat(ch.finish()).as("nothing left unread in the channel").isFalse();
        assertThat(drain(ch)).isEmpty();
    }

    @Test
    void invalidUtf8IsKeptByteForByte() {
        EmbeddedChannel ch = channel(1024);
        byte[] line = {'W', 'H', 'O', ' ', (byte) 0xfe, (byte) 0xc0, (byte) 0x80, '\n'};
        ch.writeInbound(Unpooled.wrappedBuffer(line));
        Invalid invalid = (Invalid) drain(ch).get(0);
        ch.writeOutbound(invalid);
        ByteBuf out = ch.readOutbound();
        byte[] written = new byte[out.readableBytes()];
        out.readBytes(written);
        out.release();
        byte[] expected = new byte[line.length + 2];
        expected[0] = '?';
        expected[1] = ' ';
        System.arraycopy(line, 0, expected, 2, line.length);
        assertThat(written).isEqualTo(expected);
        assertThat(Arrays.equals(invalid.line().toByteArray(), Arrays.copyOf(line, line.length - 1))).isTrue();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void encoderWritesEachMessageWhole() {
        EmbeddedChannel ch = channel(1024);
        ch.writeOutbound(MessageParser.parse(IAMAT));
        ByteBuf out = ch.readOutbound();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(IAMAT + "\n");
        out.release();
        assertThat(ch.finish()).isFalse();
    }

    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }
}
