package dev.herd.protocol;

import java.util.Arrays;

/**
 * {@code AT server diff client location time}: a client's record as the server that received its
 * IAMAT stated it. It is the reply to IAMAT, the update flooded between servers, and the first line
 * of a WHATSAT reply, always in the words of its origin server.
 *
 * @param server   the server that received the IAMAT
 * @param timeDiff that server's receive time minus the client's time, as printed by {@link TimeDiff}
 * @param line     the line as received (or, for {@link #of}, as formatted); the fields, not this, are
 *                 what is stored and forwarded, so blanks a sender added do not travel on
 */
public record At(String server, String timeDiff, Bytes clientId, Location location, ClientTime time, Bytes line)
        implements Message {
    @Override
    public Command command() {
        return Command.AT;
    }


    /** A record stated by this server, with its line in canonical form. */
    public static At of(String server, String timeDiff, Bytes clientId, Location location, ClientTime time) {
        return new At(server, timeDiff, clientId, location, time, MessageFormatter.line(server, timeDiff, clientId, location, time));
    }

    /**
     * The record's line in canonical form (single spaces, no blanks around): its received line when it
     * already is (every herd server sends it so), else formatted from the fields.
     */
    public Bytes canonicalLine() {
        int expected = 2 + 1 + utf8Length(server) + 1 + timeDiff.length() + 1 + clientId.length() + 1
                + location.latitudeText().length() + location.longitudeText().length() + 1 + time.text().length();
        if (line.isCanonicalAtLine() && line.length() == expected) {
            return line; // formatted from these fields (At.of): canonical as made, no need to scan it
        }
        if (line.length() == expected && line.byteAt(0) == 'A' && line.byteAt(1) == 'T' && singleSpaced(line)) {
            return line;
        }
        return MessageFormatter.line(server, timeDiff, clientId, location, time);
    }

    private static boolean singleSpaced(Bytes line) {
        int spaces = 0;
        for (int i = 0; i < line.length(); i++) {
            byte b = line.byteAt(i);
            if (b == '\t') {
                return false;
            }
            if (b == ' ') {
                spaces++;
            }
        }
        return spaces == 5;
    }

    /** UTF-8 length without encoding: this runs for every record stored and sent. */
    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /**
     * Whether this record should replace {@code other} for the same client: a newer client time wins;
     * on equal times the greater line wins, so every server of the herd picks the same record whatever
     * order updates arrive in. A record never replaces an identical one.
     */
    public boolean supersedes(At other) {
        return supersedes(time, canonicalLine().toByteArray(), other.time, other.canonicalLine().toByteArray());
    }

    /**
     * The herd's one newest-wins rule, on a record's client time and canonical line: what
     * {@link #supersedes(At)} and the server's store (which keeps only lines) both apply.
     */
    public static boolean supersedes(ClientTime time, byte[] canonicalLine, ClientTime otherTime, byte[] otherCanonicalLine) {
        int byTime = time.compareTo(otherTime);
        if (byTime != 0) {
            return byTime > 0;
        }
        return Arrays.compareUnsigned(canonicalLine, otherCanonicalLine) > 0;
    }

    /** The same rule against a stored canonical line, whose time is its last field: parses no object. */
    public static boolean supersedes(ClientTime time, byte[] canonicalLine, byte[] otherCanonicalLine) {
        int timeFrom = otherCanonicalLine.length;
        while (timeFrom > 0 && otherCanonicalLine[timeFrom - 1] != ' ') {
            timeFrom--;
        }
        int byTime = time.compareTo(otherCanonicalLine, timeFrom, otherCanonicalLine.length);
        if (byTime != 0) {
            return byTime > 0;
        }
        return Arrays.compareUnsigned(canonicalLine, otherCanonicalLine) > 0;
    }
}
