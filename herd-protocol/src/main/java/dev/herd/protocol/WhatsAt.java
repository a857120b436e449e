package dev.herd.protocol;

/**
 * {@code WHATSAT client radius bound}: what is within {@code radius} km of a client, at most
 * {@code bound} places.
 *
 * @param line the line as received, kept so that a WHATSAT for an unknown client can be echoed exactly
 */
public record WhatsAt(Bytes clientId, Radius radius, int bound, Bytes line) implements Message {
    @Override
    public Command command() {
        return Command.WHATSAT;
    }

    public static final int MAX_BOUND = 20;
}
