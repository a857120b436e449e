package dev.herd.bench;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.protocol.ClientTime;
import dev.herd.protocol.Location;
import dev.herd.server.store.LocationStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** Offering newer records to the location store, over a given number of distinct clients. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StoreBenchmark {
    @Param({"1000", "1000000"})
    public int clients;

    private LocationStore store;
    private Bytes[] ids;
    private final Location location = Location.parse("+34.068930-118.445127");
    private long seconds = 1_600_000_000L;
    private int next;

    @Setup
    public void fill() {
        store = new LocationStore();
        ids = new Bytes[clients];
        for (int i = 0; i < clients; i++) {
            ids[i] = Bytes.utf8("client-" + i);
            store.offer(At.of("Hill", "+0.000001000", ids[i], location, new ClientTime(seconds, 0, Long.toString(seconds))));
        }
    }

    @Benchmark
    public boolean offerNewer() {
        int i = next++ % clients;
        long s = ++seconds;
        return store.offer(At.of("Hill", "+0.000001000", ids[i], location, new ClientTime(s, 0, Long.toString(s))));
    }
}
