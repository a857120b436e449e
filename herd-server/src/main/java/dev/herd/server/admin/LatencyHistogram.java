package dev.herd.server.admin;

import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram of durations with fixed bucket bounds in seconds: counting is a couple of
 * uncontended adds, so it can sit on any thread.
 */
final class LatencyHistogram {
    /** Bounds from a millisecond (an offline or cached answer) to ten seconds (the Places deadline). */
    static final double[] PLACES_BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final double[] bounds;
    private final LongAdder[] buckets;
    private final LongAdder count = new LongAdder();
    private final LongAdder sumNanos = new LongAdder();

    LatencyHistogram(double[] bounds) {
        this.bounds = bounds.clone();
        this.buckets = new LongAdder[bounds.length];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void record(long nanos) {
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

    /** Writes the cumulative buckets, the sum and the count. */
    void writeTo(PrometheusText out, String name, String... labels) {
        long cumulative = 0;
        String[] withLe = java.util.Arrays.copyOf(labels, labels.length + 2);
        withLe[labels.length] = "le";
        for (int i = 0; i < bounds.length; i++) {
            cumulative += buckets[i].sum();
            withLe[labels.length + 1] = PrometheusText.number(bounds[i]);
            out.sample(name + "_bucket", cumulative, withLe);
        }
        // Read count once and use it for +Inf, so the last bucket always equals _count.
        long total = Math.max(count.sum(), cumulative);
        withLe[labels.length + 1] = "+Inf";
        out.sample(name + "_bucket", total, withLe);
        out.sample(name + "_sum", sumNanos.sum() / 1e9, labels);
        out.sample(name + "_count", total, labels);
    }
}
