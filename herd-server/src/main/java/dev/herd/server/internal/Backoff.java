package dev.herd.server.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Capped exponential backoff: {@code first}, doubling each failed attempt, never above {@code max}. */
public record Backoff(Duration first, Duration max) {
    /**
     * A peer that comes back is linked to within a quarter of a second: tools start servers half a
     * second apart and query them at once. Retrying that often costs nothing worth counting: a refused
     * connect is answered at once, and one to a host that does not answer takes the connect timeout
     * (2 s) before the next.
     */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(50), Duration.ofMillis(250));

    /** The delay before retrying after {@code failures} consecutive failures (1 for the first). */
    public long delayMillis(int failures) {
        long maxMillis = max.toMillis();
        long delay = first.toMillis();
        for (int i = 1; i < failures && delay < maxMillis; i++) {
            delay *= 2;
        }
        return Math.min(delay, maxMillis);
    }

    /**
     * The delay after {@code failures} failures with jitter: uniformly in [d/2, 3d/2) around the delay
     * d, so that many servers retrying the same endpoint at once do not retry in step.
     */
    public long jitteredDelayMillis(int failures) {
        long d = delayMillis(failures);
        return d / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, d));
    }
}
