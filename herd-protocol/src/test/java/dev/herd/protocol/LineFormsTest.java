package dev.herd.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Each message's line form, both ways, and the bytes that carry them. */
class LineFormsTest {
    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void everyPeerWordHasItsLine() {
        assertThat(text(MessageFormatter.toBytes(PeerGreeting.of("Hill")))).isEqualTo("PEER Hill\n");
        assertThat(text(MessageFormatter.toBytes(Challenge.of("0123456789abcdef0123456789abcdef"))))
                .isEqualTo("CHALLENGE 0123456789abcdef0123456789abcdef\n");
        assertThat(text(MessageFormatter.toBytes(Proof.of("00ff".repeat(8))))).isEqualTo("PROOF " + "00ff".repeat(8) + "\n");
        assertThat(text(MessageFormatter.toBytes(Digest.of(3, "1f")))).isEqualTo("DIGEST 3 1f\n");
        for (Message m : new Message[] {PeerGreeting.of("Hill"), Challenge.of("0123456789abcdef0123456789abcdef"),
            Digest.of(3, "1f")}) {
            assertThat(MessageParser.parse(MessageFormatter.toBytes(m), 0, MessageFormatter.toBytes(m).length - 1))
                    .as("%s reads back", m).isInstanceOf(m.getClass());
        }
    }

    @Test
    void lineOfIsTheLineWithoutItsEnd() {
        IAmAt iamat = new IAmAt(Bytes.utf8("kiwi"), Location.parse("+34.068930-118.445127"), ClientTime.parse("1.5"));
        assertThat(MessageFormatter.lineOf(iamat).toString()).isEqualTo("IAMAT kiwi +34.068930-118.445127 1.5");
        assertThat(MessageFormatter.lineOf(new Invalid(Bytes.utf8("HELLO"), "unknown command")).toString()).isEqualTo("? HELLO");
        assertThat(MessageFormatter.lineOf(new TooLongLine(Bytes.utf8("AAA"))).toString()).isEqualTo("? AAA ...");
    }

    @Test
    void aServerNameBeyondAsciiIsWrittenAsUtf8() {
        for (String server : new String[] {"Ĥill", "Hill€", "Hill\uD83D\uDE00"}) {
            At at = At.of(server, "+0.263873386", Bytes.utf8("kiwi"), Location.parse("+34.068930-118.445127"),
                    ClientTime.parse("1621464827.959498503"));
            String expected = "AT " + server + " +0.263873386 kiwi +34.068930-118.445127 1621464827.959498503";
            assertThat(at.line()).isEqualTo(Bytes.utf8(expected));
            assertThat(at.canonicalLine()).isSameAs(at.line());
            assertThat(((At) MessageParser.parse(at.line().toByteArray(), 0, at.line().length())).server()).isEqualTo(server);
        }
    }

    @Test
    void bytesCompareAsUnsignedAndHashByContent() {
        Bytes a = Bytes.utf8("abc");
        assertThat(a).isEqualTo(Bytes.copyOf("abc".getBytes(StandardCharsets.US_ASCII))).isNotEqualTo(Bytes.utf8("abd"))
                .isNotEqualTo("abc");
        assertThat(a.hashCode()).isEqualTo(Bytes.utf8("abc").hashCode()).isEqualTo(a.hashCode())
                .isNotEqualTo(Bytes.utf8("abd").hashCode());
        assertThat(Bytes.copyOf(new byte[] {(byte) 0xff})).isGreaterThan(Bytes.utf8("z"));
        assertThat(Bytes.utf8("ab")).isLessThan(Bytes.utf8("abc"));
        assertThat(a.isLogSafe()).isTrue();
        assertThat(Bytes.utf8("a\\b").isLogSafe()).isFalse();
        assertThat(Bytes.utf8("a\nb").isLogSafe()).isFalse();
        assertThat(Bytes.utf8("é").isLogSafe()).isFalse();
        byte[] out = new byte[5];
        assertThat(a.copyTo(out, 1)).isEqualTo(4);
        assertThat(out).containsExactly(0, 'a', 'b', 'c', 0);
    }
}
