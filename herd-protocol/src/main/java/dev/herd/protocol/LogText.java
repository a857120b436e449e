package dev.herd.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Renders received bytes for a log line without letting them forge, split or garble it: every
 * control character (C0, DEL, C1 such as U+0085 NEL and U+009B CSI), every line or paragraph
 * separator and every invisible format character (the bidi overrides U+202A-U+202E and U+2066-U+2069
 * among them) is written as an escape, and so is the backslash itself, so that a client typing the
 * four characters {@code \x0d} can never look like an escaped carriage return.
 */
public final class LogText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogText() {
    }

    public static String escape(byte[] data, int from, int to) {
        if (isPlainAscii(data, from, to)) {
            return new String(data, from, to - from, StandardCharsets.ISO_8859_1);
        }
        String decoded = strictUtf8(data, from, to);
        StringBuilder out = new StringBuilder(to - from + 16);
        if (decoded != null) {
            decoded.codePoints().forEach(cp -> {
                if (cp < 0x80 && isPlain(cp)) {
                    out.append((char) cp);
                } else if (cp < 0x80) {
                    appendHex(out, cp);
                } else if (isHidden(cp)) {
                    out.append("\\u{").append(Integer.toHexString(cp)).append('}');
                } else {
                    out.appendCodePoint(cp);
                }
            });
            return out.toString();
        }
        for (int i = from; i < to; i++) {
            int b = data[i] & 0xff;
            if (!isPlain(b)) {
                appendHex(out, b);
            } else {
                out.append((char) b);
            }
        }
        return out.toString();
    }

    static boolean isPlainAscii(byte[] data, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isPlain(data[i] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    /** A printable ASCII character other than the backslash, which starts every escape. */
    private static boolean isPlain(int b) {
        return b >= 0x20 && b < 0x7f && b != '\\';
    }

    /** Characters that move, hide or reorder text on a terminal or in a viewer. */
    private static boolean isHidden(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.UNASSIGNED || type == Character.PRIVATE_USE
                || type == Character.SURROGATE;
    }

    private static String strictUtf8(byte[] data, int from, int to) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(data, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static void appendHex(StringBuilder out, int b) {
        out.append("\\x").append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
    }
}
