package dev.herd.server.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram of durations with fixed bucket bounds in seconds: counting is a couple of
 * uncontended adds, so it can sit on any thread.
 */
public final class LatencyHistogram {
    /** Bounds from a millisecond (an offline or cached answer) to ten seconds (the Places deadline). */
    static final double[] PLACES_BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Bounds from 50 microseconds (an IAMAT answered from memory) to ten seconds (a WHATSAT at the Places deadline). */
    static final double[] REQUEST_BOUNDS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
        0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Bounds from 100 microseconds (a neighbour on the same machine) to a minute (a link that was down a while). */
    static final double[] PROPAGATION_BOUNDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
        0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final double[] bounds;
    private final LongAdder[] buckets;
    private final LongAdder count = new LongAdder();
    private final LongAdder sumNanos = new LongAdder();

    public LatencyHistogram(double[] bounds) {
        this.bounds = bounds.clone();
        this.buckets = new LongAdder[bounds.length];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    public void record(long nanos) {
        double seconds = nanos / 1e9;
        for (int i = 0; i < bounds.length; i++) {
            if (seconds <= bounds[i]) {
                buckets[i].increment();
                break;
            }
        }
        count.increment();
        sumNanos.add(nanos);
    }

    /**
     * The histogram now: its bounds, the cumulative count at each, the count and the sum. The count is
     * read once and is at least the last bucket's, so the +Inf bucket always equals it.
     */
    public Snapshot snapshot() {
        long[] cumulative = new long[bounds.length];
        long running = 0;
        for (int i = 0; i < bounds.length; i++) {
            running += buckets[i].sum();
            cumulative[i] = running;
        }
        return new Snapshot(bounds.clone(), cumulative, Math.max(count.sum(), running), sumNanos.sum() / 1e9);
    }

    /** A histogram read at one moment. */
    public record Snapshot(double[] bounds, long[] cumulative, long count, double sumSeconds) {
    }
}
