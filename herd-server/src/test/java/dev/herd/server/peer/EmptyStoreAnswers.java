package dev.herd.server.peer;

import dev.herd.protocol.MessageFormatter;
import dev.herd.protocol.MessageParser;
import dev.herd.protocol.Prints;
import dev.herd.protocol.Sums;
import dev.herd.server.store.LocationStore;

import java.io.ByteArrayOutputStream;

/**
 * For tests whose peer is a plain socket: answers a server's {@code SUMS} lines as a peer holding
 * nothing does, with the server's own answering code over an empty store.
 */
public final class EmptyStoreAnswers {
    private final LocationStore empty = new LocationStore();
    private final SumsAnswer answer = new SumsAnswer(empty);

    /** Whether {@code line} is part of a comparison this answers. */
    public static boolean isSums(String line) {
        return line.startsWith("SUMS ");
    }

    /** The bytes to send back for one {@code SUMS} line: nothing until its last line, then the answer. */
    public byte[] take(String sumsLine) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SumsAnswer.Differences differences = answer.take((Sums) MessageParser.parse(sumsLine));
        if (differences != null) {
            for (Prints reply : SumsAnswer.prints(empty, differences)) {
                out.writeBytes(MessageFormatter.toBytes(reply));
            }
        }
        return out.toByteArray();
    }
}
