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

    /**
     * The codec of a peer link: every message of the protocol; a line the link's closing cut short is
     * dropped (peers end every line), not read as a line.
     */
    public static void addTo(ChannelPipeline pipeline, int maxLineLength) {
        add(pipeline, new LineFramer(maxLineLength, false), MessageDecoder.INSTANCE);
    }

    /** The codec of a client connection: IAMAT and WHATSAT; any other line decodes as invalid. */
    public static void addClientCodecTo(ChannelPipeline pipeline, int maxLineLength) {
        add(pipeline, new LineFramer(maxLineLength), MessageDecoder.CLIENT);
    }

    private static void add(ChannelPipeline pipeline, LineFramer framer, MessageDecoder decoder) {
        pipeline.addLast(FRAMER, framer);
        pipeline.addLast(DECODER, decoder);
        pipeline.addLast(ENCODER, MessageEncoder.INSTANCE);
    }
}
