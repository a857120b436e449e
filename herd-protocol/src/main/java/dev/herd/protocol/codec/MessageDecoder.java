package dev.herd.protocol.codec;

import dev.herd.protocol.Message;
import dev.herd.protocol.MessageParser;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.util.concurrent.FastThreadLocal;

import java.util.List;

/**
 * Parses each line frame into a {@link dev.herd.protocol.Message}. Messages the framer made itself
 * ({@link dev.herd.protocol.TooLongLine}) pass through untouched. Stateless, so shared instances:
 * {@link #INSTANCE} reads every message of the protocol (peer links), {@link #CLIENT} only what a
 * client may send, every other line being {@link dev.herd.protocol.Invalid}.
 */
@Sharable
public final class MessageDecoder extends MessageToMessageDecoder<ByteBuf> {
    public static final MessageDecoder INSTANCE = new MessageDecoder(false);
    public static final MessageDecoder CLIENT = new MessageDecoder(true);

    private final boolean client;
    /** Per thread; grows to the longest line the thread has read (at most the line limit). */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[512];
        }
    };

    private MessageDecoder(boolean client) {
        super(ByteBuf.class);
        this.client = client;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        int length = frame.readableBytes();
        if (frame.hasArray()) {
            int from = frame.arrayOffset() + frame.readerIndex();
            out.add(parse(frame.array(), from, from + length));
        } else {
            // A pooled direct buffer: the line is copied into this thread's scratch array, reused for
            // every line (the parser copies out whatever a message keeps), not into a new array per line.
            byte[] line = SCRATCH.get();
            if (line.length < length) {
                line = new byte[Math.max(length, line.length * 2)];
                SCRATCH.set(line);
            }
            frame.getBytes(frame.readerIndex(), line, 0, length);
            out.add(parse(line, 0, length));
        }
    }

    private Message parse(byte[] b, int from, int to) {
        return client ? MessageParser.parseClientLine(b, from, to) : MessageParser.parse(b, from, to);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        // LineFramer already turned the over-long line into a TooLongLine message, answered in order;
        // the exception its superclass fires as well says nothing more.
        if (!(cause instanceof TooLongFrameException)) {
            super.exceptionCaught(ctx, cause);
        }
    }
}
