package dev.herd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.server.places.GeoNamesIndex;
import dev.herd.server.places.OfflinePlaces;
import dev.herd.server.places.PlacesJson;
import io.netty.util.concurrent.DefaultThreadFactory;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One offline WHATSAT answer, as the server computes it off the event loop: the index search, the
 * legacy-shape JSON and its Google-style text cut to 20 results. Query points are populated places
 * (where clients are), chosen with a fixed seed.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class OfflinePlacesBenchmark {
    private static final int POINTS = 4096;

    @Param({"10", "50"})
    public int radiusKm;

    private GeoNamesIndex index;
    private OfflinePlaces places;
    private double[] lat;
    private double[] lng;
    private int next;

    @Setup
    public void load() {
        index = OfflinePlaces.loadShippedData();
        places = new OfflinePlaces(index, new DefaultThreadFactory("bench", true));
        Random random = new Random(42);
        lat = new double[POINTS];
        lng = new double[POINTS];
        for (int k = 0; k < POINTS; k++) {
            int i = random.nextInt(index.size());
            lat[k] = index.latitude(i);
            lng[k] = index.longitude(i);
        }
    }

    @TearDown
    public void close() {
        places.close();
    }

    @Benchmark
    public String whatsatAnswer() {
        int k = next++ & (POINTS - 1);
        JsonNode answer = places.answer(index, lat[k], lng[k], radiusKm * 1000.0);
        return PlacesJson.render(answer, 20);
    }
}
