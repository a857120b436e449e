package dev.herd.server.admin;

import dev.herd.server.places.PlacesObserver;

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
        Map<String, LongAdder> counts = new java.util.LinkedHashMap<>();
        for (String outcome : OUTCOMES) {
            counts.put(outcome, new LongAdder());
        }
        this.byOutcome = java.util.Collections.unmodifiableMap(counts);
    }

    @Override
    public void answered(String status, long nanos) {
        LongAdder count = status == null ? null : byOutcome.get(status.toLowerCase(Locale.ROOT));
        (count == null ? byOutcome.get("other") : count).increment();
        latency.record(nanos);
    }

    long requests() {
        return byOutcome.values().stream().mapToLong(LongAdder::sum).sum();
    }

    void writeTo(PrometheusText out) {
        out.family("herd_places_requests_total", "counter",
                "WHATSAT queries answered by the Places source, by source and outcome (the answer's status)");
        byOutcome.forEach((outcome, count) ->
                out.sample("herd_places_requests_total", count.sum(), "source", source, "outcome", outcome));
        out.family("herd_places_request_duration_seconds", "histogram",
                "Time from a WHATSAT's query to the Places source's answer (cached answers included)");
        latency.writeTo(out, "herd_places_request_duration_seconds", "source", source);
    }
}
