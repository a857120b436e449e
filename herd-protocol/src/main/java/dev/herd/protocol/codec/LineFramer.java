package dev.herd.protocol.codec;

import dev.herd.protocol.Bytes;
import dev.herd.protocol.TooLongLine;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LineBasedFrameDecoder;

import java.util.List;

/**
 * Netty's {@link LineBasedFrameDecoder} with the two things the herd protocol adds: a line longer than
 * the maximum becomes a {@link TooLongLine} holding its first bytes (so it can be answered in order,
 * and the connection stays usable), and bytes left without a newline when the input ends are a last
 * line. Frames are retained slices without their {@code \n} or {@code \r\n}.
 *
 * <p>Stateful (it tracks a line being discarded), so one instance per channel.
 */
public final class LineFramer extends LineBasedFrameDecoder {
    /** True while the rest of a too-long line is being skipped. */
    private boolean skippingLongLine;
    /** Whether bytes left without a newline at the end of input are a line (clients) or a line cut short (peers). */
    private final boolean lastLineWithoutNewline;

    /** A client's framer: bytes left without a newline when the input ends are a last line. */
    public LineFramer(int maxLineLength) {
        this(maxLineLength, true);
    }

    /**
     * @param lastLineWithoutNewline false for a peer link, where every line ends with a newline: what
     *                               is left when the input ends is a line cut short by the link
     *                               closing, and is dropped rather than read as a line
     */
    public LineFramer(int maxLineLength, boolean lastLineWithoutNewline) {
        super(maxLineLength, true, true);
        this.lastLineWithoutNewline = lastLineWithoutNewline;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf buffer) throws Exception {
        int start = buffer.readerIndex();
        Object frame = super.decode(ctx, buffer);
        int consumed = buffer.readerIndex() - start;
        if (frame != null || consumed == 0) {
            return frame;
        }
        // The superclass skipped bytes without making a frame: they belong to a too-long line. Those
        // bytes are still in the buffer (skipping does not free them before decode returns).
        boolean lineEnded = buffer.getByte(buffer.readerIndex() - 1) == '\n';
        TooLongLine tooLong = null;
        if (!skippingLongLine) {
            int lineEnd = buffer.readerIndex();
            if (lineEnded) {
                lineEnd -= lineEnd - 2 >= start && buffer.getByte(lineEnd - 2) == '\r' ? 2 : 1;
            }
            int echoed = Math.min(TooLongLine.ECHOED_BYTES, lineEnd - start);
            tooLong = new TooLongLine(Bytes.copyOf(buffer, start, echoed));
        }
        skippingLongLine = !lineEnded;
        return tooLong;
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        // Every complete line has been decoded already; what is left had no newline before the end of
        // input. It is a last line, unless it is the tail of a too-long line.
        if (!in.isReadable()) {
            return;
        }
        if (skippingLongLine || !lastLineWithoutNewline) {
            in.skipBytes(in.readableBytes());
            skippingLongLine = false;
            return;
        }
        out.add(in.readRetainedSlice(in.readableBytes()));
    }
}
