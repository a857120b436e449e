package dev.herd.server.log;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.protocol.IAmAt;
import dev.herd.protocol.Invalid;
import dev.herd.protocol.Message;
import dev.herd.protocol.MessageFormatter;
import dev.herd.protocol.PlacesReply;
import dev.herd.protocol.TooLongLine;
import dev.herd.protocol.WhatsAt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One protocol line being built, reused by its thread: {@code append}, then {@link #end}. The parts
 * are bytes; client bytes go through {@link #escaped}, so nothing a client sends can split or forge a line.
 */
public final class LogEntry {
    /** Where a finished line goes: its time, and its bytes {@code line[from, from + n)}. */
    interface Sink {
        void append(long millis, byte[] line, int from, int n);
    }

    private final Sink owner;
    private final byte[] label;
    private byte[] line = new byte[512];
    private int length;

    LogEntry(Sink owner, byte[] label) {
        this.owner = owner;
        this.label = label;
    }

    LogEntry start() {
        System.arraycopy(label, 0, line, 0, label.length);
        length = label.length;
        return this;
    }

    /** Text of our own (addresses, arrows, notes): printable, written as UTF-8 only if it is not ASCII. */
    public LogEntry text(String text) {
        int n = text.length();
        room(n);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                // Not ASCII after all: what was copied lies past the line's length; write it all again as UTF-8.
                return bytes(text.getBytes(StandardCharsets.UTF_8));
            }
            line[length + i] = (byte) c;
        }
        length += n;
        return this;
    }

    public LogEntry bytes(byte[] bytes) {
        room(bytes.length);
        System.arraycopy(bytes, 0, line, length, bytes.length);
        length += bytes.length;
        return this;
    }

    /** Bytes a client or peer sent: as they are when they are printable ASCII, else escaped ({@link Bytes#toLogString}). */
    public LogEntry escaped(Bytes bytes) {
        if (!bytes.isLogSafe()) {
            return text(bytes.toLogString());
        }
        room(bytes.length());
        length = bytes.copyTo(line, length);
        return this;
    }

    /** A line as received: its bytes, and for a line refused, why. */
    public LogEntry received(Message msg) {
        if (msg instanceof Invalid invalid) {
            return escaped(invalid.line()).text("   [invalid: ").text(invalid.reason()).text("]");
        }
        if (msg instanceof TooLongLine tooLong) {
            return escaped(tooLong.prefix()).text("...   [invalid: line too long]");
        }
        if (msg instanceof IAmAt iamat) {
            // Its parts as parsed: the words of the line, without the blanks between them.
            return text("IAMAT ").escaped(iamat.clientId()).text(" ").text(iamat.location().latitudeText())
                    .text(iamat.location().longitudeText()).text(" ").text(iamat.time().text());
        }
        if (msg instanceof WhatsAt whatsat) {
            return escaped(whatsat.line());
        }
        return sent(msg);
    }

    /** A line as sent (without its line end). */
    public LogEntry sent(Message msg) {
        if (msg instanceof At at) {
            return escaped(at.canonicalLine());
        }
        if (msg instanceof Invalid invalid) {
            return text("? ").escaped(invalid.line());
        }
        if (msg instanceof PlacesReply reply) {
            return escaped(reply.at().canonicalLine()).text(" + Places JSON");
        }
        return escaped(MessageFormatter.lineOf(msg));
    }

    /** The line is complete: hands it to the log. */
    public void end() {
        owner.append(System.currentTimeMillis(), line, 0, length);
        if (line.length > 64 * 1024) {
            line = new byte[512]; // one huge line does not pin its buffer for the thread's life
        }
    }

    private void room(int n) {
        if (length + n > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
        }
    }
}
