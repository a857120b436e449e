package dev.herd.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.herd.protocol.codec.HerdCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import static org.assertj.core.api.Assertions.assertThat;

/** Coverage-guided fuzzing of the line codec (see {@link ParserFuzzTest} for how it runs). */
class CodecFuzzTest {
    /** Any byte stream: one message per line (or over-long line), never an exception, no buffer leaked. */
    @FuzzTest(maxDuration = "5s")
    void codecFramesEveryLine(byte[] stream) {
        EmbeddedChannel ch = new EmbeddedChannel();
        HerdCodec.addTo(ch.pipeline(), 64);
        ch.writeInbound(Unpooled.wrappedBuffer(stream));
        ch.finish();
        int messages = 0;
        for (Object m; (m = ch.readInbound()) != null; ) {
            assertThat(m).isInstanceOf(Message.class);
            messages++;
        }
        int newlines = 0;
        for (byte b : stream) {
            if (b == '\n') {
                newlines++;
            }
        }
        boolean tail = stream.length > 0 && stream[stream.length - 1] != '\n';
        assertThat(messages).isBetween(0, newlines + (tail ? 1 : 0));
        for (Object out; (out = ch.readOutbound()) != null; ) {
            ((ByteBuf) out).release();
        }
    }

}
