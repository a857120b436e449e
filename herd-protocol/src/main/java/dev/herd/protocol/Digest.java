package dev.herd.protocol;

/**
 * {@code DIGEST count hash}: what a server tells a peer whose link just opened, so the peer can tell
 * whether their stores already agree and skip sending every record again.
 *
 * @param count how many records the server holds
 * @param hash  an order-independent hash of all its records' lines, hexadecimal
 * @param line  the line as received, kept so that a digest on a client connection is echoed exactly
 */
public record Digest(long count, String hash, Bytes line) implements Message {
    @Override
    public Command command() {
        return Command.DIGEST;
    }

    public static Digest of(long count, String hash) {
        return new Digest(count, hash, Bytes.utf8("DIGEST " + count + " " + hash));
    }

    /** Whether two digests describe the same records (the lines they came in do not matter). */
    public boolean sameRecordsAs(Digest other) {
        return count == other.count && hash.equals(other.hash);
    }
}
