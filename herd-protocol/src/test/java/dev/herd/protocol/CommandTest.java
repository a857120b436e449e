package dev.herd.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The command vocabulary: every message says which command it is, from one list. */
class CommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "IAMAT kiwi +34.068930-118.445127 1621464827.959498503 | IAMAT",
            "WHATSAT kiwi 10 5 | WHATSAT",
            "AT Hill +0.263873386 kiwi +34.068930-118.445127 1621464827.959498503 | AT",
            "PEER Hill | PEER",
            "CHALLENGE 0a1b | CHALLENGE",
            "PROOF 0a1b | PROOF",
            "DIGEST 3 0a1b | DIGEST",
            "PRINTS end | PRINTS",
            "IHAVE AAAAAAAB | IHAVE",
            "IWANT AAAAAAAB | IWANT",
    })
    void everyParsedMessageIsItsCommand(String line, Command command) {
        Message msg = MessageParser.parse(line);
        assertThat(msg).isNotInstanceOf(Invalid.class);
        assertThat(msg.command()).isEqualTo(command);
    }

    @Test
    void aRefusedLineIsTheCommandItStartsWithOrNone() {
        assertThat(MessageParser.parse("IAMAT kiwi nowhere 1").command()).isEqualTo(Command.IAMAT);
        assertThat(MessageParser.parse("  WHATSAT kiwi 99 1").command()).isEqualTo(Command.WHATSAT);
        assertThat(MessageParser.parse("HELLO there").command()).isNull();
        assertThat(new TooLongLine(Bytes.utf8("IAMAT kiwi")).command()).isNull();
    }

    @Test
    void onlyIAmAtAndWhatsAtComeFromClients() {
        for (Command c : Command.values()) {
            assertThat(c.fromClients()).as(c.name()).isEqualTo(c == Command.IAMAT || c == Command.WHATSAT);
        }
    }

    @Test
    void aWordIsACommandOnlyWhenItIsOneExactly() {
        byte[] line = Ascii.bytes("xPEERx");
        assertThat(Command.of(line, 1, 5)).isEqualTo(Command.PEER);
        assertThat(Command.of(line, 1, 4)).isNull();
        assertThat(Command.of(line, 0, 5)).isNull();
        assertThat(Command.of(line, 1, 6)).isNull();
    }

    @Test
    void theLineAMessageWasReceivedAsIsKeptForRefusedAndOverlongLines() {
        assertThat(MessageFormatter.receivedLineOf(MessageParser.parse("IAMAT  kiwi nowhere 1")).toString())
                .isEqualTo("IAMAT  kiwi nowhere 1");
        assertThat(MessageFormatter.receivedLineOf(new TooLongLine(Bytes.utf8("IAMAT kiwi"))).toString())
                .isEqualTo("IAMAT kiwi");
        assertThat(MessageFormatter.receivedLineOf(MessageParser.parse("PEER   Hill")).toString()).isEqualTo("PEER Hill");
    }
}
