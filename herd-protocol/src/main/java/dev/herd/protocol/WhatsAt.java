package dev.herd.protocol;

/** {@code WHATSAT client radius bound}: what is within {@code radius} km of a client, at most {@code bound} places. */
public record WhatsAt(Bytes clientId, Radius radius, int bound) implements Message {
    public static final int MAX_BOUND = 20;
}
