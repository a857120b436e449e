package dev.herd.server.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {
    @Test
    void doublesFromTheFirstDelayUpToTheCap() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        assertThat(b.delayMillis(1)).isEqualTo(100);
        assertThat(b.delayMillis(2)).isEqualTo(200);
        assertThat(b.delayMillis(3)).isEqualTo(400);
        assertThat(b.delayMillis(6)).isEqualTo(3200);
        assertThat(b.delayMillis(7)).isEqualTo(5000);
        assertThat(b.delayMillis(1_000_000)).isEqualTo(5000);
    }

    @Test
    void theDefaultRetriesAPeerWithinAQuarterSecondForever() {
        assertThat(Backoff.DEFAULT.delayMillis(1)).isEqualTo(50);
        assertThat(Backoff.DEFAULT.delayMillis(3)).isEqualTo(200);
        assertThat(Backoff.DEFAULT.delayMillis(1_000_000)).isEqualTo(250);
    }

    @Test
    void capBelowTheFirstDelayWins() {
        assertThat(new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(1)).delayMillis(1)).isEqualTo(1000);
    }

    @Test
    void aJitteredDelayLiesWithinHalfTheDelayEitherSide() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            long d = b.jitteredDelayMillis(2);
            assertThat(d).isBetween(100L, 299L);
            seen.add(d);
        }
        assertThat(seen).as("spread, not one value").hasSizeGreaterThan(50);
    }
}
