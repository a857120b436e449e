package dev.herd.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Writes each {@link Message} in its one line form, line ending included. Pure and thread-safe. */
public final class MessageFormatter {
    private static final byte[] QUESTION = Ascii.bytes("? ");
    private static final byte[] ELLIPSIS = Ascii.bytes(" ...");

    private MessageFormatter() {
    }

    public static void write(Message message, ByteBuf out) {
        if (message instanceof At m) {
            // The record's line is already made (At.of formats it once); only a non-canonical one is redone.
            m.canonicalLine().writeTo(out);
            out.writeByte('\n');
        } else if (message instanceof Invalid m) {
            out.writeBytes(QUESTION);
            m.line().writeTo(out);
            out.writeByte('\n');
        } else if (message instanceof PlacesReply m) {
            m.at().canonicalLine().writeTo(out);
            out.writeByte('\n');
            out.writeCharSequence(framePlacesJson(m.json()), StandardCharsets.UTF_8);
        } else if (message instanceof TooLongLine m) {
            out.writeBytes(QUESTION);
            m.prefix().writeTo(out);
            out.writeBytes(ELLIPSIS);
            out.writeByte('\n');
        } else if (message instanceof IAmAt m) {
            ascii(out, "IAMAT ");
            m.clientId().writeTo(out);
            ascii(out, " " + m.location().text() + " " + m.time().text() + "\n");
        } else if (message instanceof WhatsAt m) {
            ascii(out, "WHATSAT ");
            m.clientId().writeTo(out);
            ascii(out, " " + m.radius().text() + " " + m.bound() + "\n");
        } else if (message instanceof PeerGreeting m) {
            out.writeCharSequence("PEER " + m.server() + "\n", StandardCharsets.UTF_8);
        } else if (message instanceof Challenge m) {
            ascii(out, "CHALLENGE " + m.nonce() + "\n");
        } else if (message instanceof Digest m) {
            ascii(out, "DIGEST " + m.count() + " " + m.hash() + "\n");
        } else if (message instanceof Sums m) {
            ascii(out, String.format("SUMS %08x %d %d ", m.salt(), m.bits(), m.first()));
            out.writeBytes(Base64.getEncoder().encode(m.sums().toByteArray()));
            out.writeByte('\n');
        } else if (message instanceof Prints m) {
            ascii(out, "PRINTS ");
            if (m.end()) {
                ascii(out, "end");
            } else {
                out.writeBytes(Base64.getEncoder().encode(m.entries().toByteArray()));
            }
            out.writeByte('\n');
        } else if (message instanceof TreeLine m) {
            ascii(out, m.command().name() + " ");
            out.writeBytes(Base64.getEncoder().encode(m.prints().toByteArray()));
            out.writeByte('\n');
        } else if (message instanceof Proof m) {
            ascii(out, "PROOF " + m.mac() + "\n");
        } else {
            throw new IllegalArgumentException("unknown message type: " + message.getClass().getName());
        }
    }

    /** The message's line form as bytes. */
    public static byte[] toBytes(Message message) {
        ByteBuf buf = Unpooled.buffer(128);
        write(message, buf);
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }

    /** Any message's line as the protocol writes it, without its line ending. */
    public static Bytes lineOf(Message message) {
        byte[] bytes = toBytes(message);
        int end = bytes.length > 0 && bytes[bytes.length - 1] == '\n' ? bytes.length - 1 : bytes.length;
        return Bytes.copyOf(bytes, 0, end);
    }

    /**
     * The canonical AT line of these fields, without line ending: {@code AT server diff client latlon
     * time}, written straight into an array of its size (each IAMAT a server answers makes one; {@link
     * At#of} and {@link At#canonicalLine} call it with a record's fields, no record made first).
     */
    static Bytes line(String server, String timeDiff, Bytes clientId, Location location, ClientTime time) {
        boolean asciiName = isAscii(server);
        byte[] name = asciiName ? null : server.getBytes(StandardCharsets.UTF_8);
        String lat = location.latitudeText();
        String lon = location.longitudeText();
        String clientTime = time.text();
        int n = 3 + (asciiName ? server.length() : name.length) + 1 + timeDiff.length() + 1 + clientId.length()
                + 1 + lat.length() + lon.length() + 1 + clientTime.length();
        byte[] out = new byte[n];
        out[0] = 'A';
        out[1] = 'T';
        out[2] = ' ';
        int i = 3;
        if (asciiName) {
            i = putAscii(server, out, i);
        } else {
            System.arraycopy(name, 0, out, i, name.length);
            i += name.length;
        }
        out[i++] = ' ';
        i = putAscii(timeDiff, out, i);
        out[i++] = ' ';
        i = clientId.copyTo(out, i);
        out[i++] = ' ';
        i = putAscii(lat, out, i);
        i = putAscii(lon, out, i);
        out[i++] = ' ';
        putAscii(clientTime, out, i);
        return Bytes.canonicalAtLine(out);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Copies ASCII text (the parser let nothing else into these fields) into {@code out} at {@code at}. */
    private static int putAscii(String text, byte[] out, int at) {
        int n = text.length();
        for (int k = 0; k < n; k++) {
            out[at + k] = (byte) text.charAt(k);
        }
        return at + n;
    }

    /**
     * Frames Places JSON for a WHATSAT reply: every run of newlines squeezed to one, trailing newlines
     * removed, then {@code \n\n}, so the JSON has no blank line inside and a blank line ends it.
     */
    public static String framePlacesJson(String json) {
        StringBuilder out = new StringBuilder(json.length() + 2);
        boolean lastWasNewline = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '\n') {
                if (!lastWasNewline) {
                    out.append(c);
                }
                lastWasNewline = true;
            } else {
                out.append(c);
                lastWasNewline = false;
            }
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == '\n') {
            end--;
        }
        out.setLength(end);
        return out.append("\n\n").toString();
    }


    private static void ascii(ByteBuf out, String text) {
        out.writeCharSequence(text, StandardCharsets.US_ASCII);
    }

    /** The line of a message as received, where it was kept (a refused or over-long line), else as this formatter writes it. */
    public static Bytes receivedLineOf(Message msg) {
        if (msg instanceof Invalid invalid) {
            return invalid.line();
        }
        if (msg instanceof TooLongLine tooLong) {
            return tooLong.prefix();
        }
        return lineOf(msg);
    }
}
