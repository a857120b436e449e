package dev.herd.protocol.codec;

import dev.herd.protocol.MessageParser;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;

import java.util.List;

/**
 * Parses each line frame into a {@link dev.herd.protocol.Message}. Messages the framer made itself
 * ({@link dev.herd.protocol.TooLongLine}) pass through untouched. Stateless, so one shared instance.
 */
@Sharable
public final class MessageDecoder extends MessageToMessageDecoder<ByteBuf> {
    public static final MessageDecoder INSTANCE = new MessageDecoder();

    private MessageDecoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        int length = frame.readableBytes();
        if (frame.hasArray()) {
            int from = frame.arrayOffset() + frame.readerIndex();
            out.add(MessageParser.parse(frame.array(), from, from + length));
        } else {
            byte[] line = new byte[length];
            frame.getBytes(frame.readerIndex(), line);
            out.add(MessageParser.parse(line, 0, length));
        }
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
