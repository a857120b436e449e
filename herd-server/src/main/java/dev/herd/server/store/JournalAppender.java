package dev.herd.server.store;

import dev.herd.server.config.Fsync;
import dev.herd.server.log.ServerLog;
import org.jspecify.annotations.Nullable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A journal's file and the records taken from its queue that are not written yet: writes them as the
 * fsync policy says, cuts the file back to its last whole record when a write fails (keeping them for
 * the next try), and compacts the file from the store. Used by the journal's writer thread only.
 */
final class JournalAppender {
    private static final ServerLog LOG = ServerLog.of(JournalAppender.class);
    /** A journal smaller than this is never compacted, however few records it holds. */
    static final long MIN_COMPACT_BYTES = 64L << 20;

    private final Path file;
    private final Fsync fsync;
    private final Function<Path, JournalDisk> disks;
    private final JournalBacklog backlog;
    private final long minCompactBytes;
    private JournalDisk disk;
    /** Bytes in the file that are whole records: a failed write is cut back to here. */
    private long bytes;
    private long liveBytesAtCompaction;
    private long lastSync = System.nanoTime();
    /** Encoded records not written yet (a failed write keeps them here). */
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private long heldLines;

    JournalAppender(Path file, Fsync fsync, Function<Path, JournalDisk> disks, JournalBacklog backlog) throws IOException {
        this(file, fsync, disks, backlog, MIN_COMPACT_BYTES);
    }

    /** Like the other, compacting past {@code minCompactBytes} (tests use a small one). */
    JournalAppender(Path file, Fsync fsync, Function<Path, JournalDisk> disks, JournalBacklog backlog, long minCompactBytes)
            throws IOException {
        this.minCompactBytes = minCompactBytes;
        this.file = file;
        this.fsync = fsync;
        this.disks = disks;
        this.backlog = backlog;
        this.disk = open(file);
        this.bytes = disk.size();
        this.liveBytesAtCompaction = bytes;
    }

    private JournalDisk open(Path path) throws IOException {
        try {
            return disks.apply(path);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Encodes {@code line} as a record, to be written by the next {@link #write()}. */
    void hold(byte[] line) {
        JournalRecord.encode(line, held);
        heldLines++;
    }

    long heldLines() {
        return heldLines;
    }

    /**
     * Writes and syncs (as the policy says) what is held.
     *
     * @return null once written, else why not (the file is cut back and the records kept)
     */
    @Nullable String write() {
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
                backlog.written(held.size());
                held.reset();
                heldLines = 0;
            }
            long now = System.nanoTime();
            if (fsync == Fsync.EVERYSEC && now - lastSync > TimeUnit.SECONDS.toNanos(1)) {
                disk.force();
                lastSync = now;
            }
            return null;
        } catch (IOException e) {
            try {
                disk.truncate(bytes);
            } catch (IOException again) {
                LOG.debug("journal {}: cannot cut back to {} bytes: {}", file, bytes, again.toString());
            }
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    /**
     * Rewrites the journal from the store once it is four times what the store holds (and 64 MB).
     *
     * @return null, or why the journal cannot be written now (it could not be reopened)
     */
    @Nullable String compactIfDue(Supplier<List<byte[]>> snapshot) {
        if (bytes < minCompactBytes || bytes < 4 * liveBytesAtCompaction) {
            return null;
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
            return null;
        }
        try {
            // Records queued meanwhile are appended to the new file: they are newer than the snapshot or equal.
            disk.close();
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            disk = open(file);
        } catch (IOException e) {
            return "reopening after compaction: " + e.getMessage();
        }
        LOG.info("journal {}: compacted from {} to {} bytes ({} records)", file, bytes, size, live.size());
        bytes = size;
        liveBytesAtCompaction = size;
        return null;
    }

    /** Syncs and closes the file. */
    void close() throws IOException {
        disk.force();
        disk.close();
    }
}
