package dev.herd.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of the parser. {@code mvn verify} fuzzes it for a few seconds (JAZZER_FUZZ=1
 * and one JVM per test class in the surefire configuration: Jazzer fuzzes one test per JVM).
 */
class ParserFuzzTest {

    /** Any bytes: the parser never throws; a refusal keeps the line byte for byte; anything else round-trips. */
    @FuzzTest(maxDuration = "5s")
    void parserNeverThrowsAndRoundTrips(byte[] line) {
        Message parsed = MessageParser.parse(line);
        if (parsed instanceof Invalid invalid) {
            assertThat(invalid.line().toByteArray()).isEqualTo(line);
            return;
        }
        byte[] formatted = MessageFormatter.toBytes(parsed);
        assertThat(formatted[formatted.length - 1]).isEqualTo((byte) '\n');
        assertThat(MessageParser.parse(Arrays.copyOf(formatted, formatted.length - 1))).isEqualTo(canonical(parsed));
    }

    /** What a parsed message is once formatted and parsed again: blanks normalised, raw lines canonical. */
    private static Message canonical(Message m) {
        return MessageParser.parse(Arrays.copyOf(MessageFormatter.toBytes(m), MessageFormatter.toBytes(m).length - 1));
    }
}
