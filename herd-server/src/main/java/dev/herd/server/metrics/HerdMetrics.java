package dev.herd.server.metrics;

import dev.herd.protocol.At;
import dev.herd.protocol.Command;
import dev.herd.protocol.Message;
import dev.herd.server.store.UpdateListener;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The counters of one server, bumped where things happen (any event loop) and read by the admin
 * endpoint. They are striped per thread ({@link StripedCounters}): no lock and no shared write on
 * the hot path.
 */
public final class HerdMetrics implements UpdateListener {
    /** The label of lines whose first word is no command ({@link Message#command()} is null). */
    public static final String OTHER = "OTHER";
    private static final int COMMANDS = Command.values().length + 1;

    /** What a reply to a client was. */
    public enum Reply {
        AT, PLACES, INVALID;

        public final String label = name().toLowerCase(Locale.ROOT);
    }

    /** Where each counter sits in the stripes: lines by command and outcome, replies by kind, then the rest. */
    private static final int LINES = 0;
    private static final int REPLIES = LINES + COMMANDS * 2;
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
    public void line(Message line, boolean ok) {
        counters.increment(lineCounter(line.command(), ok));
    }

    /** What the lines counter counts: every command, and null for lines that start with none. */
    public static final List<@Nullable Command> COUNTED = counted();

    private static List<@Nullable Command> counted() {
        List<@Nullable Command> all = new ArrayList<>(Arrays.asList(Command.values()));
        all.add(null);
        return Collections.unmodifiableList(all);
    }

    /** The label the lines counter gives {@code command}. */
    public static String label(@Nullable Command command) {
        return command == null ? OTHER : command.name();
    }

    private static int lineCounter(@Nullable Command command, boolean ok) {
        return LINES + (command == null ? COMMANDS - 1 : command.ordinal()) * 2 + (ok ? 0 : 1);
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

    /** Counts updates from peers (and the stale ones), and keeps the newest kept records for the status page. */
    @Override
    public void applied(At record, @Nullable String fromPeer, boolean kept) {
        if (fromPeer != null) {
            counters.increment(UPDATES_RECEIVED);
            if (!kept) {
                counters.increment(UPDATES_STALE);
            }
        }
        if (kept) {
            recent.add(record, fromPeer);
        }
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

    /** Lines of {@code command} (null: lines that start with no command). */
    public long lines(@Nullable Command command, boolean ok) {
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
