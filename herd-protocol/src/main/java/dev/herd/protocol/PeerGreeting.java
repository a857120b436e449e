package dev.herd.protocol;

/**
 * {@code PEER name}: the first line of a link a server opens to a peer, naming the sender.
 *
 * @param line the line as received, kept so that a greeting refused on a client connection is echoed exactly
 */
public record PeerGreeting(String server, Bytes line) implements Message {
    @Override
    public Command command() {
        return Command.PEER;
    }

    public static PeerGreeting of(String server) {
        return new PeerGreeting(server, Bytes.utf8("PEER " + server));
    }
}
