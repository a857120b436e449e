package dev.herd.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Renders received bytes for a log line without letting them forge, split or garble it. */
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
                if (cp < 0x20 || cp == 0x7f) {
                    appendHex(out, cp);
                } else {
                    out.appendCodePoint(cp);
                }
            });
            return out.toString();
        }
        for (int i = from; i < to; i++) {
            int b = data[i] & 0xff;
            if (b < 0x20 || b >= 0x7f) {
                appendHex(out, b);
            } else {
                out.append((char) b);
            }
        }
        return out.toString();
    }

    private static boolean isPlainAscii(byte[] data, int from, int to) {
        for (int i = from; i < to; i++) {
            int b = data[i] & 0xff;
            if (b < 0x20 || b >= 0x7f) {
                return false;
            }
        }
        return true;
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
