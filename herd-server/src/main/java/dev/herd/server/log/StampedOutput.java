package dev.herd.server.log;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The protocol log writer's output: stamps each line with its time and gathers lines into one buffer,
 * written to the file in one call when it fills or at {@link #flush}. Writer thread only.
 */
final class StampedOutput {
    private final RotatingFile file;
    private final ByteBuffer out;
    private final TimeStamps times = new TimeStamps();

    StampedOutput(RotatingFile file, int bufferBytes) {
        this.file = file;
        this.out = ByteBuffer.allocateDirect(bufferBytes);
    }

    /** Stamps and gathers a batch's lines, writing whenever the buffer fills; returns how many lines. */
    long drain(LogBatch batch) throws IOException {
        byte[] d = batch.data();
        int at = 0;
        long n = 0;
        while (at < batch.length()) {
            int len = LogBatch.lengthAt(d, at);
            put(LogBatch.millisAt(d, at), d, at + LogBatch.HEADER, len);
            at += LogBatch.HEADER + len;
            n++;
        }
        return n;
    }

    /** Stamps and gathers one line {@code d[from, from + len)}; a line longer than the buffer is written alone. */
    void put(long millis, byte[] d, int from, int len) throws IOException {
        if (out.remaining() < TimeStamps.LENGTH + len + 1) {
            flush();
            if (out.remaining() < TimeStamps.LENGTH + len + 1) {
                byte[] stamp = times.of(millis);
                file.write(ByteBuffer.allocate(stamp.length + len + 1).put(stamp).put(d, from, len).put((byte) '\n').flip());
                return;
            }
        }
        out.put(times.of(millis)).put(d, from, len).put((byte) '\n');
    }

    /** Writes what is gathered. */
    void flush() throws IOException {
        if (out.position() == 0) {
            return;
        }
        out.flip();
        try {
            file.write(out);
        } finally {
            out.clear();
        }
    }

    /** Drops what is gathered (the file refused it). */
    void discard() {
        out.clear();
    }
}
