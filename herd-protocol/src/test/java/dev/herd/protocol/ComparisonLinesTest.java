package dev.herd.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The lines of a store comparison between peers: {@code SUMS} and {@code PRINTS}, both ways through text. */
class ComparisonLinesTest {

    private static String text(Message m) {
        return new String(MessageFormatter.toBytes(m), StandardCharsets.US_ASCII);
    }

    @Test
    void sumsRoundTripThroughTheirLine() {
        int[] all = {0, -1, 0x12345678, 7};
        Sums sums = Sums.of(0xdeadbeef, 2, 1, all, 3);
        assertThat(text(sums)).isEqualTo("SUMS deadbeef 2 1 /////xI0VngAAAAH\n");
        Sums back = (Sums) MessageParser.parse(text(sums).trim());
        assertThat(back.salt()).isEqualTo(0xdeadbeef);
        assertThat(back.bits()).isEqualTo(2);
        assertThat(back.first()).isEqualTo(1);
        assertThat(back.count()).isEqualTo(3);
        assertThat(new int[] {back.sum(0), back.sum(1), back.sum(2)}).containsExactly(-1, 0x12345678, 7);
        assertThat(back.last()).isTrue();
        assertThat(Sums.of(1, 2, 0, all, 2).last()).isFalse();
    }

    @Test
    void printsRoundTripThroughTheirLineEntryByEntry() {
        Prints.Builder b = new Prints.Builder();
        b.bucket(3);
        b.print(0xcafebabe);
        b.print(1);
        b.bucket(65535);
        b.bucket(9);
        b.print(-2);
        Prints back = (Prints) MessageParser.parse(text(b.build()).trim());
        StringBuilder seen = new StringBuilder();
        back.forEach(new Prints.Visitor() {
            @Override
            public void bucket(int bucket) {
                seen.append("b").append(bucket).append(' ');
            }

            @Override
            public void print(int bucket, int fingerprint) {
                seen.append(bucket).append(':').append(Integer.toHexString(fingerprint)).append(' ');
            }
        });
        assertThat(seen.toString()).isEqualTo("b3 3:cafebabe 3:1 b65535 b9 9:fffffffe ");
        assertThat(back.end()).isFalse();
        assertThat(MessageParser.parse("PRINTS end")).isEqualTo(Prints.END);
        assertThat(text(Prints.END)).isEqualTo("PRINTS end\n");
    }

    @Test
    void anEntryHoldsAtMostItsCountsWorthOfPrints() {
        Prints.Builder b = new Prints.Builder();
        b.bucket(0);
        for (int i = 0; i < Prints.MAX_PER_ENTRY; i++) {
            assertThat(b.print(i)).isTrue();
        }
        assertThat(b.print(1)).isFalse();
        assertThat(MessageParser.parse(text(b.build()).trim())).isInstanceOf(Prints.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SUMS",
        "SUMS deadbeef 2 0",
        "SUMS deadbee 2 0 AAAAAA==",             // salt not 8 digits
        "SUMS deadbeeg 2 0 AAAAAA==",            // salt not hexadecimal
        "SUMS deadbeef 17 0 AAAAAA==",           // more bits than the finest bucketing
        "SUMS deadbeef 2 4 AAAAAA==",            // first bucket beyond 2^bits
        "SUMS deadbeef 2 3 AAAAAAAAAAA=",        // runs past the last bucket
        "SUMS deadbeef 2 0 AAAA",                // 3 bytes: not whole sums
        "SUMS deadbeef 2 0 !!!!",                // not base64
        "SUMS deadbeef -2 0 AAAAAA==",
        "SUMS deadbeef 2 0 AAAAAA== extra",
        "PRINTS",
        "PRINTS END",
        "PRINTS AAAB",                           // an entry cut short
        "PRINTS AAAAAQ==",                       // says one print, has none
        "PRINTS !!!!",
        "PRINTS end now",
    })
    void refusesMalformedComparisonLines(String line) {
        assertThat(MessageParser.parse(line)).isInstanceOf(Invalid.class);
    }

    @Test
    void clientsCannotSendComparisonLines() {
        byte[] line = "PRINTS end".getBytes(StandardCharsets.US_ASCII);
        assertThat(MessageParser.parseClientLine(line, 0, line.length)).isInstanceOf(Invalid.class);
    }
}
