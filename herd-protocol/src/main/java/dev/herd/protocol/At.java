package dev.herd.protocol;

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

    /** A record stated by this server, with its line in canonical form. */
    public static At of(String server, String timeDiff, Bytes clientId, Location location, ClientTime time) {
        At draft = new At(server, timeDiff, clientId, location, time, Bytes.EMPTY);
        return new At(server, timeDiff, clientId, location, time, MessageFormatter.line(draft));
    }

    /**
     * Whether this record should replace {@code other} for the same client: a newer client time wins;
     * on equal times the greater line wins, so every server of the herd picks the same record whatever
     * order updates arrive in. A record never replaces an identical one.
     */
    public boolean supersedes(At other) {
        int byTime = time.compareTo(other.time);
        if (byTime != 0) {
            return byTime > 0;
        }
        return MessageFormatter.line(this).compareTo(MessageFormatter.line(other)) > 0;
    }
}
