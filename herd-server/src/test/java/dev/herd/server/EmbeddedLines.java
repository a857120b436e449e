package dev.herd.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.nio.charset.StandardCharsets;

/** Text in and out of a handler under test on an {@link EmbeddedChannel}. */
public final class EmbeddedLines {
    private EmbeddedLines() {
    }

    /** Bytes for {@code writeInbound}, as a client or peer would send them. */
    public static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    /** Everything written out so far, as text (the buffers are released). */
    public static String output(EmbeddedChannel ch) {
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            out.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return out.toString();
    }
}
