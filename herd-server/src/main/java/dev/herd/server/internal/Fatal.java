package dev.herd.server.internal;

/**
 * Errors after which a server must not go on: an {@link OutOfMemoryError} leaves a process that may
 * hold its port and answer nothing, so the process ends at once (exit 3), and a supervisor restarts it.
 * The one place that decides it, for the event loops' error paths and for every other thread.
 */
public final class Fatal {
    public static final int EXIT_OUT_OF_MEMORY = 3;

    private Fatal() {
    }

    /** Ends the process if {@code cause} (or what caused it) is fatal; returns otherwise. */
    public static void haltIfFatal(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError) {
                // No logging, no allocation to speak of: the heap or direct memory is gone.
                System.err.println("herd-server: out of memory (" + t.getMessage() + "); exiting so that a supervisor"
                        + " restarts the server");
                Runtime.getRuntime().halt(EXIT_OUT_OF_MEMORY);
            }
        }
    }

    /** Makes every thread that dies of an uncaught fatal error end the process. */
    public static void installHandler() {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            haltIfFatal(error);
            if (previous != null) {
                previous.uncaughtException(thread, error);
            } else {
                System.err.println("herd-server: thread " + thread.getName() + " died: " + error);
            }
        });
    }
}
