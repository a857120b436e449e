package dev.herd.protocol;

/**
 * Everything that travels over a herd connection, in either direction. Every message is immutable
 * and has exactly one line form, written by {@link MessageFormatter}.
 */
public sealed interface Message permits IAmAt, WhatsAt, At, PeerGreeting, Challenge, Proof, Digest, Sums, Prints, Invalid, TooLongLine, PlacesReply {
}
