package dev.herd.server.log;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/** What one thread has logged and the writer has not taken yet; its lock is held only to append or take. */
final class LogChunk {
    final LogEntry entry;
    private byte[] pending;
    private int length;
    /**
     * Buffers this thread filled, oldest first, before {@link #pending}: kept with the chunk (not in
     * one queue for all) so the writer takes a thread's lines in the order it logged them.
     */
    private final ArrayDeque<LogBatch> full = new ArrayDeque<>();

    private final Supplier<byte[]> buffers;
    private final BiPredicate<byte[], Integer> admit;
    private final Runnable wake;

    LogChunk(byte[] label, Supplier<byte[]> buffers, BiPredicate<byte[], Integer> admit, Runnable wake) {
        this.entry = new LogEntry(this::append, label);
        this.buffers = buffers;
        this.admit = admit;
        this.wake = wake;
        this.pending = new byte[ProtocolLog.CHUNK_BYTES];
    }

    void append(long millis, byte[] line, int from, int n) {
        int need = LogBatch.HEADER + n;
        boolean woken = false;
        synchronized (this) {
            if (length + need > pending.length) {
                if (length > 0) {
                    // The owner may refuse it (the writer far behind): then its lines are counted as lost.
                    if (admit.test(pending, length)) {
                        full.add(new LogBatch(pending, length));
                        woken = true;
                    }
                    pending = buffers.get();
                    length = 0;
                }
                if (need > pending.length) {
                    pending = new byte[need];
                }
            }
            LogBatch.putHeader(pending, length, millis, n);
            System.arraycopy(line, from, pending, length + LogBatch.HEADER, n);
            length += need;
        }
        if (woken) {
            wake.run();
        }
    }

    /**
     * The writer takes the filled buffers into {@code into}, oldest first, then what is pending,
     * leaving {@code spare} (empty) in its place; returns whether it took the pending buffer.
     */
    synchronized boolean take(byte[] spare, List<LogBatch> into) {
        into.addAll(full);
        full.clear();
        if (length == 0) {
            return false;
        }
        into.add(new LogBatch(pending, length));
        pending = spare;
        length = 0;
        return true;
    }
}
