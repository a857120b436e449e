package dev.herd.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class AtTest {
    private static At parse(String line) {
        return (At) MessageParser.parse(line.getBytes(StandardCharsets.UTF_8), 0, line.getBytes(StandardCharsets.UTF_8).length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Hill", "Ĥill", "Hill€", "Hill\uD83D\uDE00", "H"})
    void aCanonicalLineIsItselfNotAFreshCopy(String server) {
        // Servers send canonical lines; the record keeps and forwards the very bytes it received.
        At at = parse("AT " + server + " +0.263873386 kiwi.cs.ucla.edu +34.068930-118.445127 1621464827.959498503");
        assertThat(at.canonicalLine()).isSameAs(at.line());
    }

    @Test
    void aRecordMadeByTheServerIsCanonicalAsMade() {
        At at = At.of("Hill", "+0.263873386", Bytes.utf8("kiwi"), Location.parse("+34.068930-118.445127"),
                ClientTime.parse("1621464827.959498503"));
        assertThat(at.canonicalLine()).isSameAs(at.line());
        assertThat(at.line().toString()).isEqualTo("AT Hill +0.263873386 kiwi +34.068930-118.445127 1621464827.959498503");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "AT  Hill +0.263873386 kiwi +34.068930-118.445127 1621464827.959498503",
        "AT Hill\t+0.263873386 kiwi +34.068930-118.445127 1621464827.959498503",
        "AT Hill +0.263873386 kiwi +34.068930-118.445127  1621464827.959498503",
        "  AT Hill +0.263873386 kiwi +34.068930-118.445127 1621464827.959498503",
        "AT Hill +0.263873386 kiwi +34.068930-118.445127 1621464827.959498503 ",
    })
    void blanksASenderAddedDoNotTravelOn(String received) {
        At at = parse(received);
        assertThat(at.canonicalLine()).isNotSameAs(at.line());
        assertThat(at.canonicalLine().toString())
                .isEqualTo("AT Hill +0.263873386 kiwi +34.068930-118.445127 1621464827.959498503");
    }

    @Test
    void newerTimeWinsAndOnATieTheGreaterLineWinsButNeverAnIdenticalOne() {
        At older = parse("AT Hill +0.100000000 kiwi +34.068930-118.445127 100.000000001");
        At newer = parse("AT Hill +0.100000000 kiwi +34.068930-118.445127 100.000000002");
        At sameTimeGreater = parse("AT Smith +0.100000000 kiwi +34.068930-118.445127 100.000000001");
        assertThat(newer.supersedes(older)).isTrue();
        assertThat(older.supersedes(newer)).isFalse();
        assertThat(sameTimeGreater.supersedes(older)).isTrue();
        assertThat(older.supersedes(sameTimeGreater)).isFalse();
        assertThat(older.supersedes(parse("AT Hill +0.100000000 kiwi +34.068930-118.445127 100.000000001"))).isFalse();
        byte[] line = older.canonicalLine().toByteArray();
        assertThat(At.supersedes(older.time(), line, line.clone())).as("against a stored line").isFalse();
        assertThat(At.supersedes(newer.time(), newer.canonicalLine().toByteArray(), line)).isTrue();
        assertThat(At.supersedes(older.time(), line, newer.canonicalLine().toByteArray())).isFalse();
        assertThat(At.supersedes(sameTimeGreater.time(), sameTimeGreater.canonicalLine().toByteArray(), line)).isTrue();
    }
}
