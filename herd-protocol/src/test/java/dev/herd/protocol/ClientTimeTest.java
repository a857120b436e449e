package dev.herd.protocol;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ClientTimeTest {
    @ParameterizedTest(name = "{0} vs {1}")
    @CsvSource({
        "1, 1", "1, 2", "2, 1", "1.5, 1.50", "1.5, 1.05", "1.05, 1.5", "1, 1.000000001", "1.000000001, 1",
        "1520023934.918963997, 1520023934.918963997", "1520023934.918963997, 1520023934.918963998",
        "999999999999999999, 1", "0, 0.0", "1.999999999, 2", "10, 9.999999999",
    })
    void comparesWithATimeStillInItsLineAsWithAParsedOne(String a, String b) {
        ClientTime left = ClientTime.parse(a);
        byte[] line = ("AT Hill +0.1 kiwi +1+1 " + b).getBytes(StandardCharsets.US_ASCII);
        int from = line.length - b.length();
        assertThat(Integer.signum(left.compareTo(line, from, line.length)))
                .isEqualTo(Integer.signum(left.compareTo(ClientTime.parse(b))));
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @CsvSource({"1, 2", "2, 1", "1, 1", "1.5, 1.50"})
    void theStoresRuleIsTheRecordsRule(String a, String b) {
        At left = (At) MessageParser.parse("AT Hill +0.263873386 kiwi +34.068930-118.445127 " + a);
        At right = (At) MessageParser.parse("AT Jaquez +0.263873386 kiwi +34.068930-118.445127 " + b);
        assertThat(At.supersedes(left.time(), left.canonicalLine().toByteArray(), right.canonicalLine().toByteArray()))
                .isEqualTo(left.supersedes(right));
        assertThat(At.supersedes(right.time(), right.canonicalLine().toByteArray(), left.canonicalLine().toByteArray()))
                .isEqualTo(right.supersedes(left));
    }
}
