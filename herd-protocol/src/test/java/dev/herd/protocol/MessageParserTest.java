package dev.herd.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MessageParserTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 1621464827.959498503",
        "IAMAT kiwi +34-118 1621464827",
        "IAMAT kiwi +34.068930-118.445127 1621464827.9",
        "IAMAT kiwi +9-8 0",
        "IAMAT kiwi +90-180 1",
        "IAMAT kiwi -90+180 1",
        "IAMAT kiwi +90.000-180.0000 1",
        "IAMAT kiwi +00.5+000.5 1",
        "IAMAT kiwi -0.000001+179.999999 1",
        "IAMAT kiwi +34.068930-118.445127 000000000000000000001621464827",
        "\t IAMAT\tkiwi  +34-118\t\t1621464827 \t",
    })
    void acceptsValidIAmAt(String line) {
        assertThat(MessageParser.parse(line)).isInstanceOf(IAmAt.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "IAMAT kiwi +34.068930-118.445127",
        "IAMAT kiwi +34.068930-118.445127 1621464827 extra",
        "IAMAT +34.068930-118.445127 1621464827",
        "iamat kiwi +34-118 1621464827",
        "IAMAT kiwi 34.068930-118.445127 1621464827",
        "IAMAT kiwi +34.068930118.445127 1621464827",
        "IAMAT kiwi +34.068930-118.445127+1 1621464827",
        "IAMAT kiwi +90.000001-118 1621464827",
        "IAMAT kiwi +91-118 1621464827",
        "IAMAT kiwi +34-180.5 1621464827",
        "IAMAT kiwi +34-181 1621464827",
        "IAMAT kiwi +123-118 1621464827",
        "IAMAT kiwi +34-1180 1621464827",
        "IAMAT kiwi +34.-118 1621464827",
        "IAMAT kiwi +.5-118 1621464827",
        "IAMAT kiwi +34-118. 1621464827",
        "IAMAT kiwi ++34-118 1621464827",
        "IAMAT kiwi +34--118 1621464827",
        "IAMAT kiwi +3a-118 1621464827",
        "IAMAT kiwi +34-118 -1621464827",
        "IAMAT kiwi +34-118 +1621464827",
        "IAMAT kiwi +34-118 1621464827.",
        "IAMAT kiwi +34-118 .5",
        "IAMAT kiwi +34-118 1621464827.1234567890",
        "IAMAT kiwi +34-118 1.6e9",
        "IAMAT kiwi +34-118 1621464827.95x",
        "IAMAT kiwi +34-118 9999999999999999999",
    })
    void rejectsInvalidIAmAt(String line) {
        assertInvalid(line);
    }

    @Test
    void commandOfNamesTheCommandALineStartsWithAsTheParserReadsFields() {
        assertThat(Command.firstWordOf(Bytes.utf8("IAMAT kiwi nowhere 1"))).isEqualTo(Command.IAMAT);
        assertThat(Command.firstWordOf(Bytes.utf8(" \tWHATSAT kiwi 99 1"))).isEqualTo(Command.WHATSAT);
        assertThat(Command.firstWordOf(Bytes.utf8("DIGEST"))).isEqualTo(Command.DIGEST);
        assertThat(Command.firstWordOf(Bytes.utf8("IAMATX kiwi"))).isNull();
        assertThat(Command.firstWordOf(Bytes.utf8("iamat kiwi"))).isNull();
        assertThat(Command.firstWordOf(Bytes.utf8("HELLO"))).isNull();
        assertThat(Command.firstWordOf(Bytes.EMPTY)).isNull();
    }

    @Test
    void iAmAtKeepsFieldsAsSent() {
        IAmAt m = (IAmAt) MessageParser.parse("IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 1621464827.959498503");
        assertThat(m.clientId().toString()).isEqualTo("kiwi.cs.ucla.edu");
        assertThat(m.location().latitudeText()).isEqualTo("+34.068930");
        assertThat(m.location().longitudeText()).isEqualTo("-118.445127");
        assertThat(m.location().latitude()).isEqualTo(34.068930);
        assertThat(m.location().longitude()).isEqualTo(-118.445127);
        assertThat(m.time()).isEqualTo(new ClientTime(1621464827L, 959498503, "1621464827.959498503"));
    }

    @Test
    void fractionalDigitsAreNanosecondsExactly() {
        assertThat(ClientTime.parse("1.5").nanos()).isEqualTo(500_000_000);
        assertThat(ClientTime.parse("1.000000001").nanos()).isEqualTo(1);
        assertThat(ClientTime.parse("1.5").compareTo(ClientTime.parse("1.500000000"))).isZero();
        assertThat(ClientTime.parse("1621464827.959498504").isAfter(ClientTime.parse("1621464827.959498503"))).isTrue();
    }

    @Test
    void clientIdIsAnyRunOfNonBlankBytes() {
        byte[] emoji = "IAMAT 🥝-client +34-118 1".getBytes(StandardCharsets.UTF_8);
        assertThat(((IAmAt) MessageParser.parse(emoji)).clientId().toString()).isEqualTo("🥝-client");

        byte[] line = "IAMAT k\u00ffi +34-118 1".getBytes(StandardCharsets.ISO_8859_1);
        IAmAt m = (IAmAt) MessageParser.parse(line);
        assertThat(m.clientId().toByteArray()).containsExactly('k', 0xff, 'i');
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "WHATSAT kiwi 10 5",
        "WHATSAT kiwi 50 20",
        "WHATSAT kiwi 0.001 1",
        "WHATSAT kiwi 1.5 01",
        "WHATSAT kiwi .5 1",
        "WHATSAT kiwi 5. 1",
        "WHATSAT kiwi 50.000 20",
    })
    void acceptsValidWhatsAt(String line) {
        assertThat(MessageParser.parse(line)).isInstanceOf(WhatsAt.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "WHATSAT kiwi 10",
        "WHATSAT kiwi 10 5 5",
        "WHATSAT kiwi 0 5",
        "WHATSAT kiwi 0.000 5",
        "WHATSAT kiwi 51 5",
        "WHATSAT kiwi 50.0001 5",
        "WHATSAT kiwi -1 5",
        "WHATSAT kiwi +1 5",
        "WHATSAT kiwi 1e1 5",
        "WHATSAT kiwi . 5",
        "WHATSAT kiwi 1.2.3 5",
        "WHATSAT kiwi 10 0",
        "WHATSAT kiwi 10 21",
        "WHATSAT kiwi 10 -1",
        "WHATSAT kiwi 10 1.0",
        "WHATSAT kiwi 10 999999999999999999999",
        "WHATSAT kiwi ten 5",
    })
    void rejectsInvalidWhatsAt(String line) {
        assertInvalid(line);
    }

    @Test
    void whatsAtRadiusIsExactMetres() {
        assertThat(((WhatsAt) MessageParser.parse("WHATSAT kiwi 10 5")).radius().metresText()).isEqualTo("10000");
        assertThat(((WhatsAt) MessageParser.parse("WHATSAT kiwi 1.5 5")).radius().metresText()).isEqualTo("1500");
        assertThat(((WhatsAt) MessageParser.parse("WHATSAT kiwi 0.0015 5")).radius().metresText()).isEqualTo("1.5");
        assertThat(((WhatsAt) MessageParser.parse("WHATSAT kiwi 50.000 5")).radius().metresText()).isEqualTo("50000");
        assertThat(((WhatsAt) MessageParser.parse("WHATSAT kiwi 10 07")).bound()).isEqualTo(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        " ",
        "\t \t",
        "HELLO",
        "IAMAT",
        "WHATSAT",
        "? IAMAT kiwi +34-118 1",
        "AT Hill +0.1 kiwi +34-118 1",
        "AT Hill 0.100000000 kiwi +34-118 1",
        "AT Hill +0.100000000 kiwi +34-118",
        "AT Hill +0.100000000 kiwi +34 1",
        "PEER",
        "PEER Hill extra",
        "a b c d e f g h",
    })
    void rejectsOtherLines(String line) {
        assertInvalid(line);
    }

    @Test
    void parsesPeerMessages() {
        At at = (At) MessageParser.parse("AT Hill -0.263873386 kiwi +34.068930-118.445127 1621464827.959498503");
        assertThat(at.server()).isEqualTo("Hill");
        assertThat(at.timeDiff()).isEqualTo("-0.263873386");
        assertThat(at.clientId().toString()).isEqualTo("kiwi");
        assertThat(MessageParser.parse("PEER Jaquez")).isEqualTo(PeerGreeting.of("Jaquez"));
    }

    @Test
    void invalidKeepsTheLineByteForByte() {
        byte[] line = {'I', 'A', 'M', 'A', 'T', ' ', (byte) 0xc3, (byte) 0x28, '\t', ' '};
        Invalid invalid = (Invalid) MessageParser.parse(line);
        assertThat(invalid.line().toByteArray()).isEqualTo(line);
        assertThat(invalid.reason()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 1621464827.959498503",
        "IAMAT kiwi +34-118 1621464827",
        "WHATSAT kiwi 1.5 5",
        "WHATSAT kiwi .5 20",
        "AT Hill +0.263873386 kiwi.cs.ucla.edu +34.068930-118.445127 1621464827.959498503",
        "AT Campbell -12.000000001 x +0-0 0",
        "PEER Smith",
    })
    void roundTripsThroughTheFormatter(String line) {
        Message parsed = MessageParser.parse(line);
        assertThat(parsed).isNotInstanceOf(Invalid.class);
        byte[] formatted = MessageFormatter.toBytes(parsed);
        assertThat(new String(formatted, StandardCharsets.UTF_8)).isEqualTo(line + "\n");
        assertThat(MessageParser.parse(formatted, 0, formatted.length - 1)).isEqualTo(parsed);
    }

    @Test
    void normalisesBlanksWhenFormatting() {
        Message parsed = MessageParser.parse("  IAMAT\tkiwi   +34-118\t1 ");
        assertThat(new String(MessageFormatter.toBytes(parsed), StandardCharsets.UTF_8))
                .isEqualTo("IAMAT kiwi +34-118 1\n");
    }

    private static void assertInvalid(String line) {
        Message parsed = MessageParser.parse(line);
        assertThat(parsed).isInstanceOf(Invalid.class);
        assertThat(((Invalid) parsed).line().toString()).isEqualTo(line);
        assertThat(new String(MessageFormatter.toBytes(parsed), StandardCharsets.UTF_8)).isEqualTo("? " + line + "\n");
    }
}
