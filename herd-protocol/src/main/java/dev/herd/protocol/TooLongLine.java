package dev.herd.protocol;

import org.jspecify.annotations.Nullable;

/**
 * A line longer than the connection's maximum. Its line form is the reply: {@code ? }, the first
 * {@value #ECHOED_BYTES} bytes of the line, and {@code  ...}; the rest of the line was discarded.
 */
public record TooLongLine(Bytes prefix) implements Message {
    /** None: the line was never read whole. */
    @Override
    public @Nullable Command command() {
        return null;
    }

    public static final int ECHOED_BYTES = 64;
}
