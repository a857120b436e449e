package dev.herd.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waiting for a condition, instead of sleeping and hoping. */
public final class Wait {
    private static final long POLL_MILLIS = 5;

    private Wait() {
    }

    /**
     * Returns as soon as {@code condition} holds; throws {@link AssertionError} naming {@code what} if it
     * still does not after {@code timeout}.
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
