package dev.herd.server.metrics;

/**
 * A Prometheus histogram of durations with fixed bucket bounds in seconds: counting is three plain
 * adds to the calling thread's own counters, so it can sit on any thread, event loops included.
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
    /** The bounds in nanoseconds, so that recording compares longs. */
    private final long[] boundNanos;
    /**
     * One counter per bucket, then the count, then the sum in nanoseconds, striped per thread: every
     * IAMAT is recorded, and shared {@code LongAdder}s here cost a measurable part of the throughput.
     */
    private final StripedCounters counters;
    private final int countIndex;
    private final int sumIndex;

    public LatencyHistogram(double[] bounds) {
        this.bounds = bounds.clone();
        this.boundNanos = new long[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            boundNanos[i] = Math.round(bounds[i] * 1e9);
        }
        this.countIndex = bounds.length;
        this.sumIndex = bounds.length + 1;
        this.counters = new StripedCounters(bounds.length + 2);
    }

    public void record(long nanos) {
        int bucket = 0;
        while (bucket < boundNanos.length && nanos > boundNanos[bucket]) {
            bucket++;
        }
        if (bucket < boundNanos.length) {
            counters.increment(bucket);
        }
        counters.increment(countIndex);
        counters.add(sumIndex, nanos);
    }

    /**
     * The histogram now: its bounds, the cumulative count at each, the count and the sum. The count is
     * read once and is at least the last bucket's, so the +Inf bucket always equals it.
     */
    public Snapshot snapshot() {
        long[] cumulative = new long[bounds.length];
        long running = 0;
        for (int i = 0; i < bounds.length; i++) {
            running += counters.sum(i);
            cumulative[i] = running;
        }
        return new Snapshot(bounds.clone(), cumulative, Math.max(counters.sum(countIndex), running),
                counters.sum(sumIndex) / 1e9);
    }

    /** A histogram read at one moment. */
    public record Snapshot(double[] bounds, long[] cumulative, long count, double sumSeconds) {
    }
}
