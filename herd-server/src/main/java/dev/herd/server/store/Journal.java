package dev.herd.server.store;

import dev.herd.server.config.Fsync;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The store on disk: an append-only file of records, one per stored record, each behind its CRC32C
 * ({@link JournalRecord}), written by its own thread (never an event loop), synced to disk as the
 * policy says, compacted from the store when it has grown well past it, and read back at start
 * ({@link JournalReader}).
 *
 * <p>Nothing is dropped: a record waits in the queue until it is written. When a write fails (a full
 * disk), the journal says so ({@link #failure()}; the server then refuses IAMATs and {@code /health}
 * answers 503), fails the acknowledgements that waited, cuts the file back to its last whole record,
 * and tries again every second with what it holds; once a write succeeds it is healthy again, by itself.
 * While it is behind by more than {@value #BEHIND_BYTES} bytes, {@link #isBehind()} tells readers to
 * stop reading from their connections ({@link #whenCaughtUp}), which pushes back on clients and peers.
 */
public final class Journal implements AutoCloseable {
    /** What the journal does to its file: a test puts a disk that fills in its place. */
    public interface Disk extends AutoCloseable {
        long size() throws IOException;

        void write(ByteBuffer data) throws IOException;

        void force() throws IOException;

        /** Cuts the file back to {@code size} bytes. */
        void truncate(long size) throws IOException;

        @Override
        void close() throws IOException;
    }

    private static final ServerLog LOG = ServerLog.of(Journal.class);
    private static final long MIN_COMPACT_BYTES = 64L << 20;
    /** Queued and unwritten bytes past which readers pause. */
    static final long BEHIND_BYTES = 32L << 20;
    static final long RETRY_MILLIS = 1000;
    private static final byte[] STOP = new byte[0];

    private final Path file;
    private final Fsync fsync;
    private final Supplier<List<byte[]>> snapshot;
    private final java.util.function.Function<Path, Disk> disks;
    /** Lines to write, and barriers to complete once what precedes them is written. Unbounded: see {@link #isBehind()}. */
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    /** Bytes of the lines queued or held, not yet written. */
    private final AtomicLong unwritten = new AtomicLong();
    private final List<Runnable> caughtUp = new ArrayList<>();
    private final Thread writer;
    private Disk disk;
    /** Bytes in the file that are whole records: a failed write is cut back to here. */
    private long bytes;
    private long liveBytesAtCompaction;
    private long lastSync = System.nanoTime();
    /** Why writes fail now; null while they succeed. */
    private volatile String failure;
    /** Encoded records taken from the queue and not written yet (a failed write keeps them here). */
    private final java.io.ByteArrayOutputStream held = new java.io.ByteArrayOutputStream();
    private long heldLines;

    /**
     * Opens (creating) the journal {@code file} for appending; {@code snapshot} gives the store's lines
     * for compaction.
     */
    public Journal(Path file, Fsync fsync, Supplier<List<byte[]>> snapshot, ThreadFactory threads) throws IOException {
        this(file, fsync, snapshot, threads, FileDisk::open);
    }

    /** Like the public constructor, writing through the disks {@code disks} opens (tests give one that fails). */
    public Journal(Path file, Fsync fsync, Supplier<List<byte[]>> snapshot, ThreadFactory threads,
                   java.util.function.Function<Path, Disk> disks) throws IOException {
        this.file = file;
        this.fsync = fsync;
        this.snapshot = snapshot;
        this.disks = disks;
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        this.disk = open(file);
        this.bytes = disk.size();
        this.liveBytesAtCompaction = bytes;
        this.writer = threads.newThread(this::run);
        writer.start();
    }

    private Disk open(Path path) throws IOException {
        try {
            return disks.apply(path);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * A future that completes once every line appended before it is written (and synced, with
     * {@link Fsync#ALWAYS}), or fails if they could not be: a server acknowledges a client's IAMAT only
     * when it completes. Never blocks.
     */
    public CompletableFuture<Void> barrier() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        String why = failure;
        if (why != null) {
            done.completeExceptionally(new IOException(why));
        } else {
            queue.add(done);
        }
        return done;
    }

    /** Queues a stored record's line for the disk; never blocks, never drops. Any thread. */
    public void append(byte[] line) {
        unwritten.addAndGet(line.length + JournalRecord.OVERHEAD);
        queue.add(line);
    }

    /** Why the journal cannot write now, or null when it can. Any thread. */
    public String failure() {
        return failure;
    }

    /** Whether the writer is so far behind that readers should stop reading until {@link #whenCaughtUp}. */
    public boolean isBehind() {
        return unwritten.get() > BEHIND_BYTES;
    }

    /** Runs {@code resume} (on the writer's thread) once the journal is no longer behind; at once if it is not. */
    public void whenCaughtUp(Runnable resume) {
        synchronized (caughtUp) {
            if (isBehind()) {
                caughtUp.add(resume);
                return;
            }
        }
        resume.run();
    }

    /**
     * Stops reading from {@code channel} while the journal is behind, and reads again once it has caught
     * up: what a connection sends waits in its socket, not in this server's memory. Event loop of the channel.
     */
    public void pushBack(io.netty.channel.Channel channel) {
        if (!isBehind() || !channel.config().isAutoRead()) {
            return;
        }
        channel.config().setAutoRead(false);
        whenCaughtUp(() -> channel.eventLoop().execute(() -> {
            channel.config().setAutoRead(true);
            channel.read();
        }));
    }

    private void run() {
        List<Object> batch = new ArrayList<>(1024);
        List<CompletableFuture<Void>> barriers = new ArrayList<>();
        boolean stop = false;
        try {
            while (!stop) {
                if (failure != null) {
                    // Wait, keep what arrives, and try again: a full disk is often freed.
                    Object first = queue.poll(RETRY_MILLIS, TimeUnit.MILLISECONDS);
                    stop = take(first, batch, barriers);
                    barriers.forEach(b -> b.completeExceptionally(new IOException(failure)));
                    barriers.clear();
                    if (tryWrite()) {
                        LOG.info("journal {}: writes succeed again; {} records written that waited", file, heldLines);
                        failure = null;
                    }
                    continue;
                }
                Object first = queue.poll(200, TimeUnit.MILLISECONDS);
                stop = take(first, batch, barriers);
                if (tryWrite()) {
                    barriers.forEach(b -> b.complete(null));
                } else {
                    barriers.forEach(b -> b.completeExceptionally(new IOException(failure)));
                }
                barriers.clear();
                if (failure == null) {
                    compactIfDue();
                }
                notifyIfCaughtUp();
            }
            if (failure != null || held.size() > 0) {
                LOG.error("journal {}: stopping with {} records that could not be written ({})", file, heldLines, failure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Moves {@code first} and whatever else is queued into the held bytes and the barrier list; true on STOP. */
    private boolean take(Object first, List<Object> batch, List<CompletableFuture<Void>> barriers) {
        if (first == null) {
            return false;
        }
        batch.add(first);
        queue.drainTo(batch, 4095);
        boolean stop = false;
        for (Object item : batch) {
            if (item == STOP) {
                stop = true;
            } else if (item instanceof byte[] line) {
                JournalRecord.encode(line, held);
                heldLines++;
            } else {
                @SuppressWarnings("unchecked")
                CompletableFuture<Void> b = (CompletableFuture<Void>) item;
                barriers.add(b);
            }
        }
        batch.clear();
        return stop;
    }

    /** Writes and syncs (as the policy says) what is held; on failure cuts the file back and says why. */
    private boolean tryWrite() {
        try {
            if (held.size() > 0) {
                ByteBuffer data = ByteBuffer.wrap(held.toByteArray());
                while (data.hasRemaining()) {
                    disk.write(data);
                }
                if (fsync == Fsync.ALWAYS) {
                    disk.force();
                }
                bytes += held.size();
                unwritten.addAndGet(-held.size());
                held.reset();
                heldLines = 0;
            }
            long now = System.nanoTime();
            if (fsync == Fsync.EVERYSEC && now - lastSync > TimeUnit.SECONDS.toNanos(1)) {
                disk.force();
                lastSync = now;
            }
            return true;
        } catch (IOException e) {
            if (failure == null) {
                LOG.error("journal {}: cannot write ({}); IAMATs are refused and /health answers 503 until it can;"
                        + " retrying every {} ms", file, e.toString(), RETRY_MILLIS);
            }
            failure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            try {
                disk.truncate(bytes);
            } catch (IOException again) {
                LOG.debug("journal {}: cannot cut back to {} bytes: {}", file, bytes, again.toString());
            }
            return false;
        }
    }

    private void notifyIfCaughtUp() {
        List<Runnable> resume;
        synchronized (caughtUp) {
            if (caughtUp.isEmpty() || isBehind()) {
                return;
            }
            resume = new ArrayList<>(caughtUp);
            caughtUp.clear();
        }
        resume.forEach(Runnable::run);
    }

    /** Rewrites the journal from the store once it is four times what the store holds (and 64 MB). */
    private void compactIfDue() {
        if (bytes < MIN_COMPACT_BYTES || bytes < 4 * liveBytesAtCompaction) {
            return;
        }
        List<byte[]> live = snapshot.get();
        Path temp = file.resolveSibling(file.getFileName() + ".compacting");
        long size;
        try {
            size = JournalRecord.writeAll(temp, live);
        } catch (IOException e) {
            LOG.warn("journal {}: compaction failed ({}); the journal stays as it is", file, e.toString());
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the next compaction truncates it
            }
            return;
        }
        try {
            // Records queued meanwhile are appended to the new file: they are newer than the snapshot or equal.
            disk.close();
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            disk = open(file);
        } catch (IOException e) {
            failure = "reopening after compaction: " + e.getMessage();
            LOG.error("journal {}: {}", file, failure);
            return;
        }
        LOG.info("journal {}: compacted from {} to {} bytes ({} records)", file, bytes, size, live.size());
        bytes = size;
        liveBytesAtCompaction = size;
    }

    /** Writes what is queued, syncs, and closes. */
    @Override
    public void close() {
        try {
            queue.put(STOP);
            writer.join(TimeUnit.SECONDS.toMillis(10));
            disk.force();
            disk.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("journal {}: closing failed: {}", file, e.toString());
        }
    }

    /** The journal's file on disk. */
    private static final class FileDisk implements Disk {
        private final FileChannel channel;

        private FileDisk(FileChannel channel) {
            this.channel = channel;
        }

        static Disk open(Path path) {
            try {
                return new FileDisk(FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public void write(ByteBuffer data) throws IOException {
            channel.write(data);
        }

        @Override
        public void force() throws IOException {
            channel.force(false);
        }

        @Override
        public void truncate(long size) throws IOException {
            channel.truncate(size);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
