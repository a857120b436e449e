package dev.herd.protocol.codec;

import io.netty.channel.ChannelPipeline;

/**
 * The herd's line codec, as named handlers: framer, decoder and encoder. Server and testkit add it the
 * same way, so there is one framing of the protocol in the repo.
 */
public final class HerdCodec {
    public static final String FRAMER = "framer";
    public static final String DECODER = "decoder";
    public static final String ENCODER = "encoder";
    /** Default maximum line length, without its line ending. */
    public static final int DEFAULT_MAX_LINE_LENGTH = 64 * 1024;

    private HerdCodec() {
    }

    public static void addTo(ChannelPipeline pipeline, int maxLineLength) {
        pipeline.addLast(FRAMER, new LineFramer(maxLineLength));
        pipeline.addLast(DECODER, MessageDecoder.INSTANCE);
        pipeline.addLast(ENCODER, MessageEncoder.INSTANCE);
    }
}
