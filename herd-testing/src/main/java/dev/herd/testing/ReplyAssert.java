package dev.herd.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herd.protocol.At;
import dev.herd.protocol.Message;
import dev.herd.protocol.MessageParser;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on a reply as {@link LineClient} returns it. Start with
 * {@link HerdAssertions#assertThat(String)}:
 *
 * <pre>{@code
 * assertThat(reply).isAt().fromServer("Hill").forClient("kiwi").withLocation("+34.06-118.44");
 * assertThat(reply).isInvalidEcho("WHATSAT kiwi 51 5");
 * assertThat(reply).hasPlaces().withResultCount(5).withStatus("OK").endsWithBlankLine();
 * }</pre>
 */
public final class ReplyAssert extends AbstractAssert<ReplyAssert, String> {
    private static final ObjectMapper JSON = new ObjectMapper();

    ReplyAssert(String reply) {
        super(reply, ReplyAssert.class);
    }

    /** The reply is one AT line (an IAMAT's answer), or starts with one (a WHATSAT's). */
    public AtAssert isAt() {
        isNotNull();
        String first = actual.split("\n", 2)[0];
        Message m = MessageParser.parse(first);
        if (!(m instanceof At at)) {
            throw failure("Expecting an AT line but got:%n  %s", first);
        }
        return new AtAssert(at, this);
    }

    /** The reply is {@code ? } and {@code line} exactly: the server refused that line. */
    public ReplyAssert isInvalidEcho(String line) {
        isNotNull();
        String expected = "? " + line;
        String got = actual.endsWith("\n") ? actual.substring(0, actual.length() - 1) : actual;
        if (!got.equals(expected)) {
            throw failure("Expecting the refusal%n  %s%nbut got:%n  %s", expected, got);
        }
        return this;
    }

    /** The reply is a WHATSAT answer: an AT line, then Places JSON. */
    public PlacesAssert hasPlaces() {
        isNotNull();
        isAt();
        int newline = actual.indexOf('\n');
        String json = actual.substring(newline + 1);
        try {
            return new PlacesAssert(JSON.readTree(json), actual, this);
        } catch (JsonProcessingException e) {
            throw failure("Expecting Places JSON after the AT line but it does not parse (%s):%n%s", e.getOriginalMessage(), json);
        }
    }

    /** Assertions on the AT line of a reply. */
    public static final class AtAssert {
        private final At at;
        private final ReplyAssert reply;

        private AtAssert(At at, ReplyAssert reply) {
            this.at = at;
            this.reply = reply;
        }

        public AtAssert fromServer(String server) {
            return check("server", server, at.server());
        }

        public AtAssert forClient(String clientId) {
            return check("client", clientId, at.clientId().toString());
        }

        /** The location exactly as the client sent it, e.g. {@code +34.068930-118.445127}. */
        public AtAssert withLocation(String location) {
            return check("location", location, at.location().text());
        }

        /** The client's time exactly as sent. */
        public AtAssert withClientTime(String time) {
            return check("client time", time, at.time().text());
        }

        /** Back to the whole reply. */
        public ReplyAssert and() {
            return reply;
        }

        private AtAssert check(String what, String expected, String actual) {
            if (!expected.equals(actual)) {
                throw reply.failure("Expecting the AT line's %s to be%n  %s%nbut was%n  %s%nin%n  %s", what, expected, actual,
                        at.line().toString());
            }
            return this;
        }
    }

    /** Assertions on the Places JSON of a WHATSAT reply. */
    public static final class PlacesAssert {
        private final JsonNode json;
        private final String text;
        private final ReplyAssert reply;

        private PlacesAssert(JsonNode json, String text, ReplyAssert reply) {
            this.json = json;
            this.text = text;
            this.reply = reply;
        }

        public PlacesAssert withResultCount(int count) {
            int actual = json.path("results").size();
            if (actual != count) {
                throw reply.failure("Expecting %d results but got %d", count, actual);
            }
            return this;
        }

        public PlacesAssert withStatus(String status) {
            String actual = json.path("status").asText();
            if (!status.equals(actual)) {
                throw reply.failure("Expecting status %s but got %s", status, actual);
            }
            return this;
        }

        /** Some result has this {@code name}. */
        public PlacesAssert containsPlace(String name) {
            for (JsonNode result : json.path("results")) {
                if (name.equals(result.path("name").asText())) {
                    return this;
                }
            }
            throw reply.failure("Expecting a result named %s in%n%s", name, text);
        }

        /** The reply ends with a blank line, and has none before it, as the protocol frames it. */
        public PlacesAssert endsWithBlankLine() {
            if (!text.endsWith("}\n\n") || text.substring(0, text.length() - 2).contains("\n\n")) {
                throw reply.failure("Expecting the JSON to end with one blank line and hold none, but got:%n%s", text);
            }
            return this;
        }

        public ReplyAssert and() {
            return reply;
        }
    }
}
