package dev.herd.server.metrics;

import dev.herd.protocol.At;
import dev.herd.protocol.Command;
import dev.herd.protocol.Message;
import dev.herd.protocol.TimeDiff;
import dev.herd.server.store.UpdateListener;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

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
    private final LatencyHistogram iamatDuration = new LatencyHistogram(LatencyHistogram.REQUEST_BOUNDS);
    private final LatencyHistogram whatsatDuration = new LatencyHistogram(LatencyHistogram.REQUEST_BOUNDS);
    private final LatencyHistogram propagation = new LatencyHistogram(LatencyHistogram.PROPAGATION_BOUNDS);
    private final Map<String, PeerTraffic> received = new ConcurrentHashMap<>();

    /** What came from one peer: updates, and their bytes as lines. */
    public record PeerTraffic(LongAdder updates, LongAdder bytes) {
        PeerTraffic() {
            this(new LongAdder(), new LongAdder());
        }
    }

    /**
     * Updates whose first receipt was longer ago than this are catch-up after an outage, not propagation:
     * they are not put in the propagation histogram.
     */
    static final long PROPAGATION_LIMIT_NANOS = TimeUnit.HOURS.toNanos(1);

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

    /**
     * Counts updates from peers (the stale ones too, and per peer), times how long a kept one took to get
     * here from the server that first received it, and keeps the newest kept records for the status page.
     */
    @Override
    public void applied(At record, @Nullable String fromPeer, boolean kept) {
        if (fromPeer != null) {
            counters.increment(UPDATES_RECEIVED);
            PeerTraffic traffic = received.computeIfAbsent(fromPeer, p -> new PeerTraffic());
            traffic.updates().increment();
            traffic.bytes().add(record.canonicalLine().length() + 1);
            if (!kept) {
                counters.increment(UPDATES_STALE);
            } else {
                timePropagation(record);
            }
        }
        if (kept) {
            recent.add(record, fromPeer);
        }
    }

    /**
     * The first server received {@code record} at the client's time plus the record's time difference
     * (both in the record); the time since is how long the update took to get here, on clocks that agree.
     */
    private void timePropagation(At record) {
        long firstReceived = TimeDiff.receivedEpochNanos(record.time(), record.timeDiff());
        if (firstReceived == Long.MIN_VALUE) {
            return; // a time too far from now to be an update in flight
        }
        Instant now = Instant.now();
        long took = now.getEpochSecond() * 1_000_000_000L + now.getNano() - firstReceived;
        if (took >= 0 && took <= PROPAGATION_LIMIT_NANOS) {
            propagation.record(took);
        }
    }

    /** How long IAMATs or WHATSATs took from their line read to their reply ready; null for other commands. */
    public @Nullable LatencyHistogram requestDuration(Command command) {
        return switch (command) {
            case IAMAT -> iamatDuration;
            case WHATSAT -> whatsatDuration;
            default -> null;
        };
    }

    /** How long updates kept from peers took to get here from the server that first received them. */
    public LatencyHistogram propagation() {
        return propagation;
    }

    /** Updates received from each peer so far (the peers that sent none are absent). */
    public Map<String, PeerTraffic> receivedByPeer() {
        return Collections.unmodifiableMap(received);
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
