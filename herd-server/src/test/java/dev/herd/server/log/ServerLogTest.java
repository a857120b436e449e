package dev.herd.server.log;

import org.apache.logging.log4j.message.ParameterizedMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ServerLogTest {
    static Stream<Arguments> events() {
        IOException cause = new IOException("refused");
        return Stream.of(
                Arguments.of("peer link to {} open", new Object[] {"Hill"}),
                Arguments.of("{} of {} records, {}", new Object[] {3, 4L, null}),
                Arguments.of("no placeholder", new Object[0]),
                Arguments.of("more {} than {} arguments {}", new Object[] {"placeholders"}),
                Arguments.of("lost {}", new Object[] {"Smith", cause}),
                Arguments.of("lost: {}", new Object[] {cause}),
                Arguments.of("{}{}", new Object[] {"a", "b"}),
                Arguments.of("braces { } and {x} stay", new Object[] {"unused"}));
    }

    /** The early writer's text is log4j2's for the same event, so the file reads the same before and after log4j2 takes over. */
    @ParameterizedTest
    @MethodSource("events")
    void eventsAreFormattedAsLog4j2FormatsThem(String format, Object[] args) {
        ParameterizedMessage log4j2 = new ParameterizedMessage(format, args);
        String expected = log4j2.getFormattedMessage();
        Throwable thrown = log4j2.getThrowable();
        String text = ServerLog.format(format, args);
        if (thrown == null) {
            assertThat(text).isEqualTo(expected);
        } else {
            assertThat(text).startsWith(expected + System.lineSeparator() + thrown)
                    .contains(System.lineSeparator() + "\tat " + thrown.getStackTrace()[0]);
        }
    }
}
