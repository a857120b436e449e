package dev.herd.testing;

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
