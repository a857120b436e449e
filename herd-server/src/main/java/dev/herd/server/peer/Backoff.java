package dev.herd.server.peer;

import java.time.Duration;

/** Capped exponential backoff: {@code first}, doubling each failed attempt, never above {@code max}. */
public record Backoff(Duration first, Duration max) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    /** The delay before retrying after {@code failures} consecutive failures (1 for the first). */
    public long delayMillis(int failures) {
        long maxMillis = max.toMillis();
        long delay = first.toMillis();
        for (int i = 1; i < failures && delay < maxMillis; i++) {
            delay *= 2;
        }
        return Math.min(delay, maxMillis);
    }
}
