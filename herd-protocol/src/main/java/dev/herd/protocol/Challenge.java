package dev.herd.protocol;

/**
 * {@code CHALLENGE nonce}: what a server answers a peer's greeting with when the herd has a secret.
 * The nonce is hexadecimal, fresh for every connection.
 *
 * @param line the line as received, kept so that a challenge on a client connection is echoed exactly
 */
public record Challenge(String nonce, Bytes line) implements Message {
    @Override
    public Command command() {
        return Command.CHALLENGE;
    }

    public static Challenge of(String nonce) {
        return new Challenge(nonce, Bytes.utf8("CHALLENGE " + nonce));
    }
}
