package dev.herd.server;

/** The server could not listen where it was told to. */
public final class BindFailedException extends Exception {
    public BindFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
