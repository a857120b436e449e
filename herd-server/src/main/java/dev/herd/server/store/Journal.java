package dev.herd.server.store;

import dev.herd.server.config.Fsync;
import dev.herd.server.log.ServerLog;
import io.netty.channel.Channel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * While it is behind by more than {@value JournalBacklog#BEHIND_BYTES} bytes, {@link #isBehind()} tells readers to
 * stop reading from their connections ({@link #whenCaughtUp}), which pushes back on clients and peers.
 */
public final class Journal implements AutoCloseable {
    private static final ServerLog LOG = ServerLog.of(Journal.class);
    static final long RETRY_MILLIS = 1000;
    private static final byte[] STOP = new byte[0];

    private final Path file;
    private final Supplier<List<byte[]>> snapshot;
    /** Lines to write, and barriers to complete once what precedes them is written. Unbounded: see {@link #isBehind()}. */
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    /** Bytes of the lines queued or held, not yet written, and the readers waiting for them. */
    private final JournalBacklog backlog = new JournalBacklog();
    private final Thread writer;
    /** The file, and the records taken from the queue and not yet written; the writer thread's. */
    private final JournalAppender appender;
    /** Why writes fail now; null while they succeed. */
    private volatile String failure;

    /**
     * Opens (creating) the journal {@code file} for appending; {@code snapshot} gives the store's lines
     * for compaction.
     */
    public Journal(Path file, Fsync fsync, Supplier<List<byte[]>> snapshot, ThreadFactory threads) throws IOException {
        this(file, fsync, snapshot, threads, JournalFile::open);
    }

    /** Like the public constructor, writing through the disks {@code disks} opens (tests give one that fails). */
    public Journal(Path file, Fsync fsync, Supplier<List<byte[]>> snapshot, ThreadFactory threads,
                   Function<Path, JournalDisk> disks) throws IOException {
        this.file = file;
        this.snapshot = snapshot;
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        this.appender = new JournalAppender(file, fsync, disks, backlog);
        this.writer = threads.newThread(this::run);
        writer.start();
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
        backlog.queued(line.length + JournalRecord.OVERHEAD);
        queue.add(line);
    }

    /** Why the journal cannot write now, or null when it can. Any thread. */
    public String failure() {
        return failure;
    }

    /** Whether the writer is so far behind that readers should stop reading until {@link #whenCaughtUp}. */
    public boolean isBehind() {
        return backlog.isBehind();
    }

    /** Runs {@code resume} (on the writer's thread) once the journal is no longer behind; at once if it is not. */
    public void whenCaughtUp(Runnable resume) {
        backlog.whenCaughtUp(resume);
    }

    /**
     * Stops reading from {@code channel} while the journal is behind, and reads again once it has caught
     * up: what a connection sends waits in its socket, not in this server's memory. Event loop of the channel.
     */
    public void pushBack(Channel channel) {
        backlog.pushBack(channel);
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
                    long written = appender.heldLines();
                    if (tryWrite()) {
                        LOG.info("journal {}: writes succeed again; {} records written that waited", file, written);
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
                backlog.notifyIfCaughtUp();
            }
            if (failure != null || appender.heldLines() > 0) {
                LOG.error("journal {}: stopping with {} records that could not be written ({})", file,
                        appender.heldLines(), failure);
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
                appender.hold(line);
            } else {
                @SuppressWarnings("unchecked")
                CompletableFuture<Void> b = (CompletableFuture<Void>) item;
                barriers.add(b);
            }
        }
        batch.clear();
        return stop;
    }

    /** Writes what is held; on failure cuts the file back and says why (once, until it succeeds again). */
    private boolean tryWrite() {
        String why = appender.write();
        if (why == null) {
            return true;
        }
        if (failure == null) {
            LOG.error("journal {}: cannot write ({}); IAMATs are refused and /health answers 503 until it can;"
                    + " retrying every {} ms", file, why, RETRY_MILLIS);
        }
        failure = why;
        return false;
    }

    private void compactIfDue() {
        String why = appender.compactIfDue(snapshot);
        if (why != null) {
            failure = why;
            LOG.error("journal {}: {}", file, failure);
        }
    }

    /** Writes what is queued, syncs, and closes. */
    @Override
    public void close() {
        try {
            queue.put(STOP);
            writer.join(TimeUnit.SECONDS.toMillis(10));
            appender.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("journal {}: closing failed: {}", file, e.toString());
        }
    }

}
