package dev.herd.server.metrics;

import io.netty.util.concurrent.FastThreadLocal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A set of counters with one stripe per thread: a thread bumps its own stripe with a plain (opaque)
 * write, and a reader sums the stripes. Nothing is shared between event loops on the hot path, where
 * shared counters (even {@code LongAdder}s, which on two cores have two cells for four loops) cost
 * several percent of the IAMAT throughput.
 */
final class StripedCounters {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    /** Longs before and after the counters, so two threads' stripes never share a cache line. */
    private static final int PAD = 8;

    private final int size;
    private final Queue<long[]> stripes = new ConcurrentLinkedQueue<>();
    private final FastThreadLocal<long[]> local = new FastThreadLocal<>() {
        @Override
        protected long[] initialValue() {
            long[] stripe = new long[PAD + size + PAD];
            stripes.add(stripe);
            return stripe;
        }
    };

    StripedCounters(int size) {
        this.size = size;
    }

    /** Adds one to {@code counter} in the calling thread's stripe. */
    void increment(int counter) {
        long[] stripe = local.get();
        int i = PAD + counter;
        SLOT.setOpaque(stripe, i, (long) SLOT.getOpaque(stripe, i) + 1);
    }

    /** Adds {@code delta} to {@code counter} in the calling thread's stripe. */
    void add(int counter, long delta) {
        long[] stripe = local.get();
        int i = PAD + counter;
        SLOT.setOpaque(stripe, i, (long) SLOT.getOpaque(stripe, i) + delta);
    }

    /** The counter's total over every thread that ever counted (a thread's counts outlive it). */
    long sum(int counter) {
        long sum = 0;
        for (long[] stripe : stripes) {
            sum += (long) SLOT.getOpaque(stripe, PAD + counter);
        }
        return sum;
    }
}
