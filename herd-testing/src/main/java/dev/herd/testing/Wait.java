package dev.herd.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

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
        until(what, timeout, condition, null);
    }

    /**
     * As {@link #until(String, Duration, BooleanSupplier)}, and on a timeout the message also says what
     * was seen instead ({@code seen}, asked once, after the last try; null for nothing): a failed test says why.
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<String> seen) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                        + (seen == null ? "" : "; seen instead: " + seen.get()));
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /** A step that may fail for now (a server not listening yet, a record not there yet). */
    @FunctionalInterface
    public interface Attempt<T> {
        T get() throws Exception;
    }

    /**
     * Returns what {@code attempt} gives the first time it succeeds (returns without throwing an
     * exception or an assertion error); throws {@link AssertionError} naming {@code what}, with the last
     * failure as its cause, if it still fails after {@code timeout}.
     */
    public static <T> T succeeds(String what, Duration timeout, Attempt<T> attempt) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Throwable last;
            try {
                return attempt.get();
            } catch (Exception | AssertionError e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what, last);
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
