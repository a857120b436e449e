package dev.herd.protocol;

import org.jspecify.annotations.Nullable;

/**
 * A line the server does not accept. Its line form is the reply: {@code ? } and the line exactly as
 * received.
 *
 * @param line   the line as received, without its line ending
 * @param reason why it was refused, for the log only
 */
public record Invalid(Bytes line, String reason) implements Message {
    /** The command word the line starts with, if it is one: a refused IAMAT is still an IAMAT. */
    @Override
    public @Nullable Command command() {
        return Command.firstWordOf(line);
    }

}
