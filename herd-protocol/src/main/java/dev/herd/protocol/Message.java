package dev.herd.protocol;

import org.jspecify.annotations.Nullable;

/**
 * Everything that travels over a herd connection, in either direction. Every message is immutable
 * and has exactly one line form, written by {@link MessageFormatter}.
 */
public sealed interface Message permits IAmAt, WhatsAt, At, PeerGreeting, Challenge, Proof, Digest, Sums, Prints, TreeLine,
        Invalid, TooLongLine, PlacesReply {
    /** The command this message is, or (for a line that is not one) starts with; null if none. */
    @Nullable Command command();
}
