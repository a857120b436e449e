package dev.herd.protocol;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class TimeDiffTest {

    @ParameterizedTest(name = "received {0}.{1}, sent {2}: {3}")
    @CsvSource({
        "1621464828, 223372889, 1621464827.959498503, +0.263874386",
        "1621464827, 0, 1621464827.959498503, -0.959498503",
        "1621464820, 500000000, 1621464827.25, -6.750000000",
        "1621464827, 959498503, 1621464827.959498503, +0.000000000",
        "1796246400, 1, 1, +1796246399.000000001",
        "0, 0, 4000000000.999999999, -4000000000.999999999",
        "1621464827, 1, 1621464827, +0.000000001",
        "1621464817, 0, 1621464827.000000001, -10.000000001",
    })
    void printsTheExactDifferenceAndReadsTheReceiveTimeBack(long seconds, int nanos, String sent, String diff) {
        ClientTime time = ClientTime.parse(sent);
        assertThat(TimeDiff.between(seconds, nanos, time)).isEqualTo(diff);
        assertThat(TimeDiff.receivedEpochNanos(time, diff)).isEqualTo(seconds * 1_000_000_000L + nanos);
    }

    @Test
    void aReceiveTimeNoClockCanReadIsMinValue() {
        // Past the range of a long in nanoseconds (about the year 2262), either way.
        assertThat(TimeDiff.receivedEpochNanos(ClientTime.parse("99999999999"), "+0.000000000")).isEqualTo(Long.MIN_VALUE);
        assertThat(TimeDiff.receivedEpochNanos(ClientTime.parse("1"), "+999999999999.000000000")).isEqualTo(Long.MIN_VALUE);
        assertThat(TimeDiff.receivedEpochNanos(ClientTime.parse("1"), "-999999999999.000000000")).isEqualTo(Long.MIN_VALUE);
        // Not the form TimeDiff prints.
        assertThat(TimeDiff.receivedEpochNanos(ClientTime.parse("1"), "+1.5")).isEqualTo(Long.MIN_VALUE);
        assertThat(TimeDiff.receivedEpochNanos(ClientTime.parse("1"), "")).isEqualTo(Long.MIN_VALUE);
    }
}
