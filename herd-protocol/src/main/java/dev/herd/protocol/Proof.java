package dev.herd.protocol;

/**
 * {@code PROOF mac}: a peer's answer to a {@link Challenge}, the hexadecimal HMAC-SHA256 of the
 * challenge under the herd secret; the secret itself never travels.
 *
 * @param line the line as received, kept so that a proof on a client connection is echoed exactly
 */
public record Proof(String mac, Bytes line) implements Message {
    @Override
    public Command command() {
        return Command.PROOF;
    }

    public static Proof of(String mac) {
        return new Proof(mac, Bytes.utf8("PROOF " + mac));
    }
}
