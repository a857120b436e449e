package dev.herd.server.admin;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.protocol.Challenge;
import dev.herd.protocol.Digest;
import dev.herd.protocol.IAmAt;
import dev.herd.protocol.Invalid;
import dev.herd.protocol.Message;
import dev.herd.protocol.PeerGreeting;
import dev.herd.protocol.Proof;
import dev.herd.protocol.WhatsAt;

import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one server, bumped where things happen (any event loop) and read by the admin
 * endpoint. Every counter is a {@link LongAdder}: a few nanoseconds, no lock on the hot path.
 */
public final class HerdMetrics {
    /** What a line asked for, as the lines counter labels it. */
    public enum Command {
        IAMAT, WHATSAT, AT, PEER, PROOF, DIGEST, CHALLENGE, OTHER;

        final String label = name();

        /** The command of a message; for a line that did not parse, its first word if that is a command. */
        public static Command of(Message msg) {
            if (msg instanceof IAmAt) {
                return IAMAT;
            } else if (msg instanceof WhatsAt) {
                return WHATSAT;
            } else if (msg instanceof At) {
                return AT;
            } else if (msg instanceof PeerGreeting) {
                return PEER;
            } else if (msg instanceof Proof) {
                return PROOF;
            } else if (msg instanceof Digest) {
                return DIGEST;
            } else if (msg instanceof Challenge) {
                return CHALLENGE;
            } else if (msg instanceof Invalid invalid) {
                return firstWord(invalid.line());
            }
            return OTHER;
        }

        private static Command firstWord(Bytes line) {
            int end = 0;
            while (end < line.length() && end < 10 && line.byteAt(end) > ' ') {
                end++;
            }
            String word = new String(line.toByteArray(), 0, end, java.nio.charset.StandardCharsets.US_ASCII);
            for (Command c : values()) {
                if (c != OTHER && c.name().equals(word)) {
                    return c;
                }
            }
            return OTHER;
        }
    }

    /** What a reply to a client was. */
    public enum Reply {
        AT, PLACES, INVALID;

        final String label = name().toLowerCase(Locale.ROOT);
    }

    private final Instant started = Instant.now();
    private final LongAdder[] lines = adders(Command.values().length * 2);
    private final LongAdder[] replies = adders(Reply.values().length);
    private final LongAdder connections = new LongAdder();
    private final LongAdder connectionsRefused = new LongAdder();
    private final LongAdder updatesReceived = new LongAdder();
    private final LongAdder updatesStale = new LongAdder();
    private final PlacesMetrics places;
    private final RecentUpdates recent = new RecentUpdates(RecentUpdates.DEFAULT_SIZE);

    /** @param placesSource the label of this server's Places source: offline, legacy_api or new_api */
    public HerdMetrics(String placesSource) {
        this.places = new PlacesMetrics(placesSource);
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** A line came in on a connection: {@code ok} if it was acted on, not refused with {@code ?}. */
    public void line(Command command, boolean ok) {
        lines[command.ordinal() * 2 + (ok ? 0 : 1)].increment();
    }

    public void reply(Reply kind) {
        replies[kind.ordinal()].increment();
    }

    public void connectionAccepted() {
        connections.increment();
    }

    public void connectionRefused() {
        connectionsRefused.increment();
    }

    /** A peer sent an update; {@code newer} if it replaced what this server held. */
    public void updateReceived(boolean newer) {
        updatesReceived.increment();
        if (!newer) {
            updatesStale.increment();
        }
    }

    /** A record replaced what this server held: {@code from} is a peer's name, or null for a client. */
    public void stored(At record, String from) {
        recent.add(record, from);
    }

    public PlacesMetrics places() {
        return places;
    }

    public RecentUpdates recent() {
        return recent;
    }

    public Instant started() {
        return started;
    }

    public long lines(Command command, boolean ok) {
        return lines[command.ordinal() * 2 + (ok ? 0 : 1)].sum();
    }

    public long replies(Reply kind) {
        return replies[kind.ordinal()].sum();
    }

    public long connectionsAccepted() {
        return connections.sum();
    }

    public long connectionsRefused() {
        return connectionsRefused.sum();
    }

    public long updatesReceived() {
        return updatesReceived.sum();
    }

    public long updatesStale() {
        return updatesStale.sum();
    }
}
