package dev.herd.server.admin;

import dev.herd.protocol.At;
import dev.herd.protocol.Challenge;
import dev.herd.protocol.Digest;
import dev.herd.protocol.IAmAt;
import dev.herd.protocol.Invalid;
import dev.herd.protocol.Message;
import dev.herd.protocol.MessageParser;
import dev.herd.protocol.PeerGreeting;
import dev.herd.protocol.Proof;
import dev.herd.protocol.WhatsAt;

import java.time.Instant;
import java.util.Locale;

/**
 * The counters of one server, bumped where things happen (any event loop) and read by the admin
 * endpoint. They are striped per thread ({@link StripedCounters}): no lock and no shared write on
 * the hot path.
 */
public final class HerdMetrics {
    /** What a line asked for, as the lines counter labels it. */
    public enum Command {
        IAMAT, WHATSAT, AT, PEER, PROOF, DIGEST, CHALLENGE, SUMS, PRINTS, OTHER;

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
            } else if (msg instanceof dev.herd.protocol.Sums) {
                return SUMS;
            } else if (msg instanceof dev.herd.protocol.Prints) {
                return PRINTS;
            } else if (msg instanceof Invalid invalid) {
                return ofWord(MessageParser.commandOf(invalid.line()));
            }
            return OTHER;
        }

        private static Command ofWord(String command) {
            return command == null ? OTHER : valueOf(command);
        }
    }

    /** What a reply to a client was. */
    public enum Reply {
        AT, PLACES, INVALID;

        final String label = name().toLowerCase(Locale.ROOT);
    }

    /** Where each counter sits in the stripes: lines by command and outcome, replies by kind, then the rest. */
    private static final int LINES = 0;
    private static final int REPLIES = LINES + Command.values().length * 2;
    private static final int CONNECTIONS = REPLIES + Reply.values().length;
    private static final int CONNECTIONS_REFUSED = CONNECTIONS + 1;
    private static final int UPDATES_RECEIVED = CONNECTIONS_REFUSED + 1;
    private static final int UPDATES_STALE = UPDATES_RECEIVED + 1;
    private static final int COUNTERS = UPDATES_STALE + 1;

    private final Instant started = Instant.now();
    private final StripedCounters counters = new StripedCounters(COUNTERS);
    private final PlacesMetrics places;
    private final RecentUpdates recent = new RecentUpdates(RecentUpdates.DEFAULT_SIZE);

    /** @param placesSource the label of this server's Places source: offline, legacy_api or new_api */
    public HerdMetrics(String placesSource) {
        this.places = new PlacesMetrics(placesSource);
    }

    /** A line came in on a connection: {@code ok} if it was acted on, not refused with {@code ?}. */
    public void line(Command command, boolean ok) {
        counters.increment(lineCounter(command, ok));
    }

    private static int lineCounter(Command command, boolean ok) {
        return LINES + command.ordinal() * 2 + (ok ? 0 : 1);
    }

    public void reply(Reply kind) {
        counters.increment(REPLIES + kind.ordinal());
    }

    public void connectionAccepted() {
        counters.increment(CONNECTIONS);
    }

    public void connectionRefused() {
        counters.increment(CONNECTIONS_REFUSED);
    }

    /** A peer sent an update; {@code newer} if it replaced what this server held. */
    public void updateReceived(boolean newer) {
        counters.increment(UPDATES_RECEIVED);
        if (!newer) {
            counters.increment(UPDATES_STALE);
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
        return counters.sum(lineCounter(command, ok));
    }

    public long replies(Reply kind) {
        return counters.sum(REPLIES + kind.ordinal());
    }

    public long connectionsAccepted() {
        return counters.sum(CONNECTIONS);
    }

    public long connectionsRefused() {
        return counters.sum(CONNECTIONS_REFUSED);
    }

    public long updatesReceived() {
        return counters.sum(UPDATES_RECEIVED);
    }

    public long updatesStale() {
        return counters.sum(UPDATES_STALE);
    }
}
