package dev.herd.testkit;

import dev.herd.testing.LineClient;
import dev.herd.testing.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Kill and restart every server in turn under a steady load: nothing hangs, every record converges. */
@HerdTest
@Timeout(120)
class RollingRestartTest {
    private static final int CLIENTS = 50;

    @Test
    void everyRecordConvergesAfterEachServerIsRestartedInTurn(Herd herd) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong time = new AtomicLong(1_000_000);
        AtomicLong answered = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<String> names = List.copyOf(herd.names());
        Thread load = new Thread(() -> {
            int i = 0;
            while (running.get()) {
                String server = names.get(i % names.size());
                if (herd.isRunning(server)) {
                    try (LineClient c = LineClient.connect(herd.address(server), Duration.ofSeconds(5))) {
                        for (int k = 0; k < 20; k++) {
                            String reply = c.iamat("roll" + (i * 20 + k) % CLIENTS, "+1+1", Long.toString(time.incrementAndGet()));
                            assertThat(reply).startsWith("AT " + server + " ");
                            answered.incrementAndGet();
                        }
                    } catch (UncheckedIOException | AssertionError e) {
                        // A server that was killed mid-exchange: expected; the next round goes elsewhere.
                        if (herd.isRunning(server) && !(e instanceof UncheckedIOException)) {
                            failure.compareAndSet(null, e);
                        }
                    }
                }
                i++;
            }
        }, "steady-load");
        load.start();
        try {
            for (String server : names) {
                Wait.until("some load before killing " + server, Duration.ofSeconds(10), () -> answered.get() > 100);
                herd.kill(server);
                answered.set(0);
                Wait.until("load to go on without " + server, Duration.ofSeconds(10), () -> answered.get() > 100);
                herd.restart(server);
            }
        } finally {
            running.set(false);
            load.join(20_000);
        }
        assertThat(load.isAlive()).as("the load thread finished (nothing hung)").isFalse();
        assertThat(failure.get()).isNull();
        herd.awaitLinksUp(Duration.ofSeconds(10));
        for (int c = 0; c < CLIENTS; c++) {
            herd.awaitConverged("roll" + c, Duration.ofSeconds(10));
        }
    }
}
