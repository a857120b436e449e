package dev.herd.protocol;

/**
 * The reply to WHATSAT: the stored AT line of the client, then the Places JSON, framed by
 * {@link MessageFormatter} (no blank line inside, two newlines at the end).
 */
public record PlacesReply(At at, String json) implements Message {
    @Override
    public Command command() {
        return Command.AT;
    }

}
