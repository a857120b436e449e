package dev.herd.server;

/** The server could not start: one line says why. */
public final class StartFailedException extends RuntimeException {
    public StartFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
