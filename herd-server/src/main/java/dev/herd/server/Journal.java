package dev.herd.server;

import dev.herd.server.log.ServerLog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The store on disk: an append-only file of AT lines, one per stored record, written by its own
 * thread (never an event loop), synced to disk as the policy says, compacted from the store when it
 * has grown well past it, and read back at start. A torn last line (a crash mid-write) is skipped.
 */
public final class Journal implements AutoCloseable {
    /** When the journal reaches the disk. */
    public enum Fsync {
        /** After every batch of writes. */
        ALWAYS,
        /** At most a second after a write (default). */
        EVERYSEC,
        /** When the operating system decides; the data survives a crash of the process, not of the machine. */
        NO;

        public static Fsync named(String name) {
            return Fsync.valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    private static final ServerLog LOG = ServerLog.of(Journal.class);
    private static final int QUEUE = 1 << 16;
    private static final long MIN_COMPACT_BYTES = 64L << 20;
    private static final byte[] STOP = new byte[0];

    private final Path file;
    private final Fsync fsync;
    private final Supplier<List<byte[]>> snapshot;
    /** Lines to write, and barriers to complete once what precedes them is written. */
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Thread writer;
    private FileChannel channel;
    private long bytes;
    private long liveBytesAtCompaction;
    private long lastSync = System.nanoTime();
    private volatile boolean failed;
    private long dropped;

    /**
     * Opens (creating) the journal {@code file} for appending; {@code snapshot} gives the store's lines
     * for compaction.
     */
    public Journal(Path file, Fsync fsync, Supplier<List<byte[]>> snapshot, ThreadFactory threads) throws IOException {
        this.file = file;
        this.fsync = fsync;
        this.snapshot = snapshot;
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        this.bytes = channel.size();
        this.liveBytesAtCompaction = bytes;
        this.writer = threads.newThread(this::run);
        writer.start();
    }

    /** The lines of a journal, oldest first; a torn last line is left out. A missing file has none. */
    public static List<byte[]> read(Path file) throws IOException {
        List<byte[]> lines = new ArrayList<>();
        if (!Files.exists(file)) {
            return lines;
        }
        byte[] data = Files.readAllBytes(file);
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == '\n') {
                if (i > start) {
                    byte[] line = new byte[i - start];
                    System.arraycopy(data, start, line, 0, line.length);
                    lines.add(line);
                }
                start = i + 1;
            }
        }
        if (start < data.length) {
            LOG.warn("journal {}: skipped a torn last record of {} bytes (a crash mid-write)", file, data.length - start);
        }
        return lines;
    }

    /**
     * A future that completes once every line appended before it is written (and synced, with
     * {@link Fsync#ALWAYS}): a server acknowledges a client's IAMAT only then. Never blocks.
     */
    public CompletableFuture<Void> barrier() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (failed || !queue.offer(done)) {
            done.complete(null);
        }
        return done;
    }

    /** Queues a stored record's line for the disk; never blocks. Any thread. */
    public void append(byte[] line) {
        if (!queue.offer(line)) {
            synchronized (this) {
                if (dropped++ % 10_000 == 0) {
                    LOG.warn("journal {}: writer behind by {} records; {} not written (they stay in memory and with the peers)",
                            file, QUEUE, dropped);
                }
            }
        }
    }

    private void run() {
        List<Object> batch = new ArrayList<>(1024);
        List<CompletableFuture<Void>> barriers = new ArrayList<>();
        try {
            while (true) {
                Object first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, 4095);
                }
                boolean stop = false;
                for (Object item : batch) {
                    if (item == STOP) {
                        stop = true;
                    } else if (item instanceof CompletableFuture<?> barrier) {
                        @SuppressWarnings("unchecked")
                        CompletableFuture<Void> b = (CompletableFuture<Void>) barrier;
                        barriers.add(b);
                    }
                }
                write(batch);
                batch.clear();
                syncIfDue(stop);
                barriers.forEach(b -> b.complete(null));
                barriers.clear();
                if (stop) {
                    return;
                }
                compactIfDue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            failed = true;
            barriers.forEach(b -> b.complete(null));
            LOG.error("journal {}: cannot write ({}); records are no longer kept on disk", file, e.toString());
        }
    }

    private void write(List<Object> batch) throws IOException {
        int size = 0;
        for (Object item : batch) {
            if (item instanceof byte[] line && line != STOP) {
                size += line.length + 1;
            }
        }
        if (size == 0) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        for (Object item : batch) {
            if (item instanceof byte[] line && line != STOP) {
                buffer.put(line).put((byte) '\n');
            }
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        bytes += size;
        if (fsync == Fsync.ALWAYS) {
            channel.force(false);
        }
    }

    private void syncIfDue(boolean stopping) throws IOException {
        long now = System.nanoTime();
        if (fsync == Fsync.EVERYSEC && (stopping || now - lastSync > TimeUnit.SECONDS.toNanos(1))) {
            channel.force(false);
            lastSync = now;
        } else if (stopping && fsync == Fsync.ALWAYS) {
            channel.force(false);
        }
    }

    /** Rewrites the journal from the store once it is four times what the store holds (and 64 MB). */
    private void compactIfDue() throws IOException {
        if (bytes < MIN_COMPACT_BYTES || bytes < 4 * liveBytesAtCompaction) {
            return;
        }
        List<byte[]> live = snapshot.get();
        Path temp = file.resolveSibling(file.getFileName() + ".compacting");
        long size = 0;
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
            for (byte[] line : live) {
                if (buffer.remaining() < line.length + 1) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                    buffer.clear();
                }
                if (line.length + 1 > buffer.capacity()) {
                    out.write(ByteBuffer.wrap(line));
                    out.write(ByteBuffer.wrap(new byte[] {'\n'}));
                } else {
                    buffer.put(line).put((byte) '\n');
                }
                size += line.length + 1;
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        // Records queued meanwhile are appended to the new file: they are newer than the snapshot or equal.
        channel.close();
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        LOG.info("journal {}: compacted from {} to {} bytes ({} records)", file, bytes, size, live.size());
        bytes = size;
        liveBytesAtCompaction = size;
    }

    public boolean isFailed() {
        return failed;
    }

    /** Writes what is queued, syncs, and closes. */
    @Override
    public void close() {
        try {
            queue.put(STOP);
            writer.join(TimeUnit.SECONDS.toMillis(10));
            channel.force(false);
            channel.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("journal {}: closing failed: {}", file, e.toString());
        }
    }
}
