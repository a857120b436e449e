package dev.herd.server.metrics;

import io.netty.util.concurrent.FastThreadLocalThread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class StripedCountersTest {
    @Test
    void everyThreadsCountsAddUpAndOutliveTheThread() throws InterruptedException {
        StripedCounters counters = new StripedCounters(3);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            // Event loop threads (FastThreadLocalThread) and plain threads alike.
            Runnable work = () -> {
                for (int i = 0; i < 100_000; i++) {
                    counters.increment(1);
                }
                counters.increment(2);
            };
            threads.add(t % 2 == 0 ? new FastThreadLocalThread(work) : new Thread(work));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(counters.sum(0)).isZero();
        assertThat(counters.sum(1)).isEqualTo(400_000);
        assertThat(counters.sum(2)).isEqualTo(4);
    }
}
