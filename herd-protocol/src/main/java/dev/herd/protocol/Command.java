package dev.herd.protocol;

import org.jspecify.annotations.Nullable;

import java.util.Arrays;

/**
 * The protocol's command words, the first field of every line: the one list that the parser, the
 * formatter, the server's metrics and its log read. IAMAT and WHATSAT come from clients; the rest
 * travel between servers (AT also answers a client).
 */
public enum Command {
    IAMAT, WHATSAT, AT, PEER, CHALLENGE, PROOF, DIGEST, SUMS, PRINTS, IHAVE, IWANT;

    private static final Command[] ALL = values();

    private final byte[] word = Ascii.bytes(name());

    /** Whether a client may send it. */
    public boolean fromClients() {
        return this == IAMAT || this == WHATSAT;
    }

    /** Whether {@code b[from, to)} is this command's word. */
    boolean spelledBy(byte[] b, int from, int to) {
        return Arrays.equals(b, from, to, word, 0, word.length);
    }

    /** The command whose word is {@code b[from, to)}, or null. */
    public static @Nullable Command of(byte[] b, int from, int to) {
        for (Command command : ALL) {
            if (command.spelledBy(b, from, to)) {
                return command;
            }
        }
        return null;
    }

    /**
     * The command word a line starts with, as the parser reads fields, if it is one of the protocol's;
     * else null. For labelling lines that did not parse (metrics), not for parsing.
     */
    public static @Nullable Command firstWordOf(Bytes line) {
        byte[] b = line.toByteArray();
        int start = 0;
        while (start < b.length && Ascii.isBlank(b[start])) {
            start++;
        }
        int end = start;
        while (end < b.length && !Ascii.isBlank(b[end])) {
            end++;
        }
        return of(b, start, end);
    }
}
