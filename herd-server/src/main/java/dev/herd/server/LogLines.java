package dev.herd.server;

import dev.herd.protocol.Invalid;
import dev.herd.protocol.LogText;
import dev.herd.protocol.Message;
import dev.herd.protocol.MessageFormatter;
import dev.herd.protocol.TooLongLine;

/** How protocol lines appear in the protocol log: one log line each, safe to print whatever the client sent. */
final class LogLines {
    private LogLines() {
    }

    static String received(Message msg) {
        if (msg instanceof Invalid invalid) {
            return invalid.line().toLogString() + "   [invalid: " + invalid.reason() + "]";
        }
        if (msg instanceof TooLongLine tooLong) {
            return tooLong.prefix().toLogString() + "...   [invalid: line too long]";
        }
        return line(msg);
    }

    static String sent(Message msg) {
        return line(msg);
    }

    private static String line(Message msg) {
        byte[] bytes = MessageFormatter.toBytes(msg);
        int end = bytes.length > 0 && bytes[bytes.length - 1] == '\n' ? bytes.length - 1 : bytes.length;
        return LogText.escape(bytes, 0, end);
    }
}
