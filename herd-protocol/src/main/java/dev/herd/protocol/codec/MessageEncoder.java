package dev.herd.protocol.codec;

import dev.herd.protocol.Message;
import dev.herd.protocol.MessageFormatter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes each {@link Message} in its line form, one buffer per message. Stateless, so one shared instance. */
@Sharable
public final class MessageEncoder extends MessageToByteEncoder<Message> {
    public static final MessageEncoder INSTANCE = new MessageEncoder();

    private MessageEncoder() {
        super(Message.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Message message, ByteBuf out) {
        MessageFormatter.write(message, out);
    }
}
