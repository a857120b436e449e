package dev.herd.protocol;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable run of bytes. Client ids and echoed lines are bytes, not text: they go back to the
 * client exactly as received, whatever their encoding, so they are never decoded on the data path.
 */
public final class Bytes implements Comparable<Bytes> {
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] data;
    private int hash;
    /** Set by the formatter on an AT line it wrote: {@link At#canonicalLine} then need not check it. */
    private boolean canonicalAtLine;

    private Bytes(byte[] data) {
        this.data = data;
    }

    /** An AT line the formatter wrote, canonical by construction. */
    static Bytes canonicalAtLine(byte[] source) {
        Bytes b = new Bytes(source);
        b.canonicalAtLine = true;
        return b;
    }

    boolean isCanonicalAtLine() {
        return canonicalAtLine;
    }

    public static Bytes copyOf(byte[] source) {
        return new Bytes(source.clone());
    }

    public static Bytes copyOf(byte[] source, int from, int to) {
        return new Bytes(Arrays.copyOfRange(source, from, to));
    }

    /** Copies {@code length} bytes of {@code buf} from absolute {@code index}, leaving its indexes alone. */
    public static Bytes copyOf(ByteBuf buf, int index, int length) {
        byte[] out = new byte[length];
        buf.getBytes(index, out);
        return new Bytes(out);
    }

    public static Bytes utf8(String text) {
        return new Bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    public int length() {
        return data.length;
    }

    public byte byteAt(int index) {
        return data[index];
    }

    public byte[] toByteArray() {
        return data.clone();
    }

    public void writeTo(ByteBuf out) {
        out.writeBytes(data);
    }

    /** Copies the bytes into {@code out} from {@code offset}, which must have room; returns the offset after them. */
    public int copyTo(byte[] out, int offset) {
        System.arraycopy(data, 0, out, offset, data.length);
        return offset + data.length;
    }

    /** Whether {@link #toLogString()} would be the bytes themselves: printable ASCII, no backslash. */
    public boolean isLogSafe() {
        return LogText.isPlainAscii(data, 0, data.length);
    }

    /** The bytes as UTF-8 text; invalid sequences become U+FFFD. For display only, never for echoing. */
    @Override
    public String toString() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /**
     * The bytes as one safe log line: printable ASCII and valid UTF-8 as they are, control bytes and
     * bytes that are not valid UTF-8 as {@code \xNN}, so a client cannot forge or split log lines.
     */
    public String toLogString() {
        return LogText.escape(data, 0, data.length);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Bytes other && Arrays.equals(data, other.data));
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(data);
            hash = h;
        }
        return h;
    }

    @Override
    public int compareTo(Bytes o) {
        return Arrays.compareUnsigned(data, o.data);
    }
}
