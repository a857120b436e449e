package dev.herd.server.metrics;

import dev.herd.server.places.PlacesObserver;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Places answers of one server by outcome (the answer's status), and how long they took. */
public final class PlacesMetrics implements PlacesObserver {
    /** The statuses Nearby Search answers with; anything else counts as "other", so labels stay few. */
    static final String[] OUTCOMES = {"ok", "zero_results", "over_query_limit", "request_denied",
            "invalid_request", "unknown_error", "other"};

    private final String source;
    private final Map<String, LongAdder> byOutcome;
    private final LatencyHistogram latency = new LatencyHistogram(LatencyHistogram.PLACES_BOUNDS);

    PlacesMetrics(String source) {
        this.source = source;
        Map<String, LongAdder> counts = new LinkedHashMap<>();
        for (String outcome : OUTCOMES) {
            counts.put(outcome, new LongAdder());
        }
        this.byOutcome = Collections.unmodifiableMap(counts);
    }

    @Override
    public void answered(String status, long nanos) {
        LongAdder count = status == null ? null : byOutcome.get(status.toLowerCase(Locale.ROOT));
        (count == null ? byOutcome.get("other") : count).increment();
        latency.record(nanos);
    }

    /** WHATSAT queries the source answered, all outcomes. */
    public long requests() {
        return byOutcome.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** The source's label: offline, legacy_api or new_api. */
    public String source() {
        return source;
    }

    /** Answers by outcome (the answer's status, lower case), in a fixed order. */
    public Map<String, Long> byOutcome() {
        Map<String, Long> counts = new LinkedHashMap<>();
        byOutcome.forEach((outcome, count) -> counts.put(outcome, count.sum()));
        return counts;
    }

    public LatencyHistogram.Snapshot latency() {
        return latency.snapshot();
    }
}
