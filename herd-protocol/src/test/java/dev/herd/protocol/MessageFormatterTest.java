package dev.herd.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MessageFormatterTest {

    @ParameterizedTest(name = "{0}.{1} - {2} = {3}")
    @CsvSource({
        "1621464828, 223372000, 1621464827.959498503, +0.263873497",
        "1621464827, 959498503, 1621464827.959498503, +0.000000000",
        "1621464827, 959498504, 1621464827.959498503, +0.000000001",
        "1621464827, 959498502, 1621464827.959498503, -0.000000001",
        "1621464827, 0, 1621464828, -1.000000000",
        "1621464827, 500000000, 1621464828.25, -0.750000000",
        "1621464827, 500000000, 1621464820.75, +6.750000000",
        "1000, 0, 0.000001, +999.999999000",
        "0, 0, 999999999999999999.999999999, -999999999999999999.999999999",
        "1621464827, 1000, 1621464827, +0.000001000",
    })
    void timeDifferenceIsSignedPlainAndExact(long seconds, int nanos, String clientTime, String expected) {
        assertThat(TimeDiff.between(seconds, nanos, ClientTime.parse(clientTime))).isEqualTo(expected);
    }

    @Test
    void formatsTheProtocolExamples() {
        IAmAt iamat = (IAmAt) MessageParser.parse("IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 1621464827.959498503");
        At at = At.of("Hill", "+0.263873386", iamat.clientId(), iamat.location(), iamat.time());
        assertThat(text(at)).isEqualTo("AT Hill +0.263873386 kiwi.cs.ucla.edu +34.068930-118.445127 1621464827.959498503\n");
        assertThat(text(MessageParser.parse("WHATSAT kiwi.cs.ucla.edu 51 5"))).isEqualTo("? WHATSAT kiwi.cs.ucla.edu 51 5\n");
        assertThat(text(new TooLongLine(Bytes.utf8("IAMAT xx")))).isEqualTo("? IAMAT xx ...\n");
    }

    @Test
    void placesReplyHasNoBlankLineInsideAndEndsWithOne() {
        At at = (At) MessageParser.parse("AT Hill +0.1 kiwi +34-118 1".replace("+0.1", "+0.100000000"));
        String json = "{\n\n   \"results\" : [],\n\n\n   \"status\" : \"OK\"\n}\n\n\n";
        assertThat(text(new PlacesReply(at, json))).isEqualTo(
                "AT Hill +0.100000000 kiwi +34-118 1\n{\n   \"results\" : [],\n   \"status\" : \"OK\"\n}\n\n");
    }

    @Test
    void framesJsonWithoutTrailingNewline() {
        assertThat(MessageFormatter.framePlacesJson("{}")).isEqualTo("{}\n\n");
        assertThat(MessageFormatter.framePlacesJson("")).isEqualTo("\n\n");
    }

    @Test
    void tieBetweenEqualClientTimesIsDecidedByTheLineEverywhere() {
        At a = (At) MessageParser.parse("AT Hill +0.100000000 kiwi +34-118 1.5");
        At b = (At) MessageParser.parse("AT Smith +0.100000000 kiwi +34-118 1.500");
        assertThat(b.supersedes(a)).isTrue();
        assertThat(a.supersedes(b)).isFalse();
        assertThat(a.supersedes(a)).isFalse();
        At newer = (At) MessageParser.parse("AT Hill +0.100000000 kiwi +34-118 1.500000001");
        assertThat(newer.supersedes(b)).isTrue();
        assertThat(b.supersedes(newer)).isFalse();
    }

    @Test
    void logTextEscapesControlAndInvalidBytes() {
        assertThat(Bytes.utf8("plain id").toLogString()).isEqualTo("plain id");
        assertThat(Bytes.utf8("🥝\r").toLogString()).isEqualTo("🥝\\x0d");
        assertThat(Bytes.copyOf(new byte[] {'a', (byte) 0xff, '\n'}).toLogString()).isEqualTo("a\\xff\\x0a");
    }

    @Test
    void logTextEscapesTheBackslashSoThatTypedEscapesCannotPassForRealOnes() {
        assertThat(Bytes.utf8("a\\x0d").toLogString()).isEqualTo("a\\x5cx0d");
        assertThat(Bytes.utf8("a\r").toLogString()).isEqualTo("a\\x0d");
        assertThat(Bytes.utf8("é\\").toLogString()).isEqualTo("é\\x5c");
    }

    @Test
    void logTextEscapesC1ControlsLineSeparatorsAndBidiOverrides() {
        for (int cp : new int[] {0x85, 0x9b, 0x2028, 0x2029, 0x202a, 0x202e, 0x2066, 0x2069, 0x200b, 0xfeff}) {
            String text = "id" + new String(Character.toChars(cp));
            assertThat(Bytes.utf8(text).toLogString()).as("U+%04X", cp).isEqualTo("id\\u{" + Integer.toHexString(cp) + "}");
        }
        assertThat(Bytes.utf8("naïve 東京 🥝").toLogString()).isEqualTo("naïve 東京 🥝");
    }

    private static String text(Message m) {
        return new String(MessageFormatter.toBytes(m), StandardCharsets.UTF_8);
    }
}
