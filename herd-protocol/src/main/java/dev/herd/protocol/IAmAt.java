package dev.herd.protocol;

/** {@code IAMAT client location time}: a client reports where it is. */
public record IAmAt(Bytes clientId, Location location, ClientTime time) implements Message {
    @Override
    public Command command() {
        return Command.IAMAT;
    }

}
