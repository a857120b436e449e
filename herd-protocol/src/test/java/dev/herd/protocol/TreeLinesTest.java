package dev.herd.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The tree mode's lines between peers: {@code IHAVE} and {@code IWANT}, both ways through text. */
class TreeLinesTest {

    private static String text(Message m) {
        return new String(MessageFormatter.toBytes(m), StandardCharsets.US_ASCII);
    }

    @Test
    void printsRoundTripThroughTheirLineSixBytesEach() {
        long[] prints = {0x0000_0000_0001L, 0xffff_ffff_ffffL, 0x1234_5678_9abcL};
        TreeLine ihave = TreeLine.of(Command.IHAVE, prints, 3);
        assertThat(text(ihave)).isEqualTo("IHAVE AAAAAAAB////////EjRWeJq8\n");
        TreeLine back = (TreeLine) MessageParser.parse(text(ihave).trim());
        assertThat(back.command()).isEqualTo(Command.IHAVE);
        assertThat(back.count()).isEqualTo(3);
        assertThat(new long[] {back.print(0), back.print(1), back.print(2)}).containsExactly(prints);
        TreeLine want = (TreeLine) MessageParser.parse(text(TreeLine.of(Command.IWANT, prints, 1)).trim());
        assertThat(want.command()).isEqualTo(Command.IWANT);
        assertThat(want.count()).isEqualTo(1);
        assertThat(want.print(0)).isEqualTo(1);
    }

    @Test
    void aNoticeOfOneUpdateCostsFifteenBytes() {
        assertThat(MessageFormatter.toBytes(TreeLine.of(Command.IHAVE, new long[] {42}, 1))).hasSize(15);
    }

    @Test
    void aPrintIsTheTopFortyEightBitsOfTheLineHash() {
        assertThat(TreeLine.printOf(0xabcd_ef01_2345_6789L)).isEqualTo(0xabcd_ef01_2345L);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "IHAVE",
        "IWANT",
        "IHAVE AAAA",                  // 3 bytes: not a whole print
        "IHAVE AAAAAAAB AAAAAAAB",     // two fields
        "IHAVE !!!!!!!!",
        "IWANT AAAAAAAB extra",
    })
    void malformedTreeLinesAreInvalid(String line) {
        assertThat(MessageParser.parse(line)).isInstanceOf(Invalid.class);
    }

    @Test
    void aLineCarriesAtMostFiveHundredAndTwelvePrints() {
        String many = "IHAVE " + "AAAAAAAB".repeat(TreeLine.MAX_PRINTS + 1);
        assertThat(MessageParser.parse(many)).isInstanceOf(Invalid.class);
        assertThat(MessageParser.parse("IHAVE " + "AAAAAAAB".repeat(TreeLine.MAX_PRINTS))).isInstanceOf(TreeLine.class);
        assertThatThrownBy(() -> new TreeLine(Command.AT, Bytes.EMPTY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clientsCannotSendThem() {
        byte[] line = "IHAVE AAAAAAAB".getBytes(StandardCharsets.US_ASCII);
        assertThat(MessageParser.parseClientLine(line, 0, line.length)).isInstanceOf(Invalid.class);
    }
}
