package dev.herd.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The state of one run, shared by all connections: its phase, its counters and its latency record. */
final class LoadRun {
    enum Phase { PRIMING, WARMUP, MEASURING, DRAINING }

    private static final int MAX_ERRORS_SHOWN = 10;

    private final long requestLimit;
    private final boolean paced;
    private volatile Phase phase = Phase.PRIMING;
    private volatile boolean finished;
    private final Recorder recorder = new Recorder(TimeUnit.SECONDS.toMicros(60), 3);
    private final Histogram total = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
    private final AtomicLong started = new AtomicLong();
    private final LongAdder primed = new LongAdder();
    private final LongAdder[] replies = {new LongAdder(), new LongAdder(), new LongAdder()};
    private final LongAdder errors = new LongAdder();
    private final LongAdder unsent = new LongAdder();
    private volatile double measuredSeconds;

    LoadRun(long requestLimit, boolean paced) {
        this.requestLimit = requestLimit;
        this.paced = paced;
    }

    boolean paced() {
        return paced;
    }

    void phase(Phase next) {
        phase = next;
    }

    void finish() {
        finished = true;
    }

    boolean finished() {
        return finished;
    }

    /** Whether a connection may send another request now. */
    boolean mayStart() {
        Phase p = phase;
        if (p == Phase.WARMUP) {
            return true;
        }
        return p == Phase.MEASURING && (requestLimit == 0 || started.incrementAndGet() <= requestLimit);
    }

    void replied(Workload.Kind kind, long nanos, boolean ok) {
        if (!ok) {
            error("a " + kind + " reply did not match its request");
        }
        switch (phase) {
            case PRIMING -> primed.increment();
            case MEASURING, DRAINING -> {
                replies[kind.ordinal()].increment();
                recorder.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMicros(nanos)));
            }
            // Warm-up replies are checked and shown in its progress lines, not counted in the results
            // (the recorder's interval is reset when measuring starts).
            case WARMUP -> recorder.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMicros(nanos)));
        }
    }

    void error(String what) {
        errors.increment();
        if (errors.sum() <= MAX_ERRORS_SHOWN) {
            System.err.println("herd-load: error: " + what);
        }
    }

    void unsent() {
        unsent.increment();
    }

    void measuredSeconds(double seconds) {
        measuredSeconds = seconds;
    }

    double measuredSeconds() {
        return measuredSeconds;
    }

    long primed() {
        return primed.sum();
    }

    /** Latencies since the last call, also added to the total. */
    synchronized Histogram interval() {
        Histogram h = recorder.getIntervalHistogram();
        total.add(h);
        return h;
    }

    synchronized Histogram total() {
        return total.copy();
    }

    long replies(Workload.Kind kind) {
        return replies[kind.ordinal()].sum();
    }

    long replies() {
        return replies(Workload.Kind.IAMAT) + replies(Workload.Kind.WHATSAT) + replies(Workload.Kind.BAD);
    }

    long errors() {
        return errors.sum();
    }

    long unsentCount() {
        return unsent.sum();
    }
}
