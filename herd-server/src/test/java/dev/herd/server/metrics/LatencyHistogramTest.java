package dev.herd.server.metrics;

import io.netty.util.concurrent.FastThreadLocalThread;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@Timeout(30)
class LatencyHistogramTest {
    @Test
    void aDurationCountsInTheFirstBucketWhoseBoundItDoesNotExceed() {
        LatencyHistogram histogram = new LatencyHistogram(new double[] {0.001, 0.01, 1});
        histogram.record(1_000_000);      // exactly 1 ms: le="0.001"
        histogram.record(1_000_001);      // just over: le="0.01"
        histogram.record(500_000_000);    // 0.5 s: le="1"
        histogram.record(2_000_000_000L); // past every bound: only +Inf (the count)
        LatencyHistogram.Snapshot snapshot = histogram.snapshot();
        assertThat(snapshot.bounds()).containsExactly(0.001, 0.01, 1);
        assertThat(snapshot.cumulative()).containsExactly(1, 2, 3);
        assertThat(snapshot.count()).isEqualTo(4);
        assertThat(snapshot.sumSeconds()).isEqualTo(2.502000001);
    }

    @Test
    void everyThreadsDurationsAddUp() throws InterruptedException {
        LatencyHistogram histogram = new LatencyHistogram(LatencyHistogram.REQUEST_BOUNDS);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Runnable work = () -> {
                for (int i = 0; i < 50_000; i++) {
                    histogram.record(40_000); // 40 us: the first bucket
                }
                histogram.record(20_000_000_000L);
            };
            threads.add(t % 2 == 0 ? new FastThreadLocalThread(work) : new Thread(work));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        LatencyHistogram.Snapshot snapshot = histogram.snapshot();
        assertThat(snapshot.cumulative()[0]).isEqualTo(200_000);
        assertThat(snapshot.cumulative()[snapshot.cumulative().length - 1]).isEqualTo(200_000);
        assertThat(snapshot.count()).isEqualTo(200_004);
        assertThat(snapshot.sumSeconds()).isEqualTo(200_000 * 40e-6 + 80, within(1e-6));
    }
}
