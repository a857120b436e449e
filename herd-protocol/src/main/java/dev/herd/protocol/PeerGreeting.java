package dev.herd.protocol;

/** {@code PEER name}: the first line of a link a server opens to a peer, naming the sender. */
public record PeerGreeting(String server) implements Message {
}
