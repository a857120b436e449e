package dev.herd.server.store;

import dev.herd.server.log.ServerLog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a journal back, streaming (a journal of any size, a record at a time), checking every
 * record's checksum. A damaged last record (a crash mid-write) is skipped with a warning; damage
 * anywhere else stops the start with the file and the offset, unless the read is a repair, which keeps
 * every good record, rewrites the journal with them and says how many were lost
 * ({@code --journal-repair}, as {@code redis-check-aof --fix}).
 */
final class JournalReader {
    private static final ServerLog LOG = ServerLog.of(JournalReader.class);
    /** A record longer than this is damage, not a record: no line the server keeps is near it. */
    static final int MAX_RECORD = 16 * 1024 * 1024 + 64;

    /** What a read found: good records, damaged ones (with the first offset), a torn tail. */
    record Report(long records, long damaged, long firstDamageOffset, long tornBytes) {
    }

    /** Damage before the last record, found by a read that is not a repair. */
    static final class DamagedException extends IOException {
        DamagedException(String message) {
            super(message);
        }
    }

    private JournalReader() {
    }

    /**
     * Hands every good record's AT line to {@code each}, oldest first. A missing file has none.
     *
     * @param repair keep going past damage, and rewrite the file with only the good records
     */
    static Report read(Path file, boolean repair, Consumer<byte[]> each) throws IOException {
        if (!Files.exists(file)) {
            return new Report(0, 0, -1, 0);
        }
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a directory, not a journal");
        }
        List<byte[]> kept = repair ? new ArrayList<>() : null;
        long records = 0;
        long damaged = 0;
        long firstDamage = -1;
        long offset = 0;
        // A damaged record is held back until the next record is read: only then is it known not to be the last.
        long pendingDamageOffset = -1;
        long tornBytes = 0;
        byte[] buffer = new byte[256];
        try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk = new byte[1 << 16];
            int length = 0;
            boolean tooLong = false;
            long over = 0;
            for (int n; (n = in.read(chunk)) != -1; ) {
                for (int i = 0; i < n; i++) {
                    byte b = chunk[i];
                    if (b != '\n') {
                        if (length == buffer.length) {
                            if (buffer.length >= MAX_RECORD) {
                                tooLong = true;
                                over += length;
                                length = 0;
                            } else {
                                buffer = Arrays.copyOf(buffer, Math.min(MAX_RECORD, buffer.length * 2));
                            }
                        }
                        buffer[length++] = b;
                        continue;
                    }
                    long start = offset;
                    offset = offset + over + length + 1;
                    byte[] line = tooLong || length == 0 ? null : JournalRecord.decode(buffer, length);
                    length = 0;
                    tooLong = false;
                    over = 0;
                    if (pendingDamageOffset >= 0) {
                        damaged++;
                        firstDamage = firstDamage < 0 ? pendingDamageOffset : firstDamage;
                        if (!repair) {
                            throw damage(file, pendingDamageOffset);
                        }
                        pendingDamageOffset = -1;
                    }
                    if (line == null) {
                        pendingDamageOffset = start;
                        continue;
                    }
                    records++;
                    each.accept(line);
                    if (kept != null) {
                        kept.add(line);
                    }
                }
            }
            // Bytes after the last newline: a record cut short by a crash, the last of the file by definition.
            tornBytes = length + over;
        } catch (NoSuchFileException e) {
            return new Report(0, 0, -1, 0);
        }
        if (pendingDamageOffset >= 0) {
            // The last whole record is damaged: a write torn by a crash, like a record without its newline.
            tornBytes += offset - pendingDamageOffset;
        }
        offset += tornBytes;
        if (tornBytes > 0) {
            LOG.warn("journal {}: skipped a torn last record of {} bytes (a crash mid-write)", file, tornBytes);
        }
        if (repair && (damaged > 0 || tornBytes > 0)) {
            Path temp = file.resolveSibling(file.getFileName() + ".repairing");
            JournalRecord.writeAll(temp, kept);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.warn("journal {}: repaired: kept {} good records, dropped {} damaged (the first at byte offset {}) and"
                    + " {} torn bytes at the end", file, records, damaged, firstDamage, tornBytes);
        }
        return new Report(records, damaged, firstDamage, tornBytes);
    }

    private static DamagedException damage(Path file, long offset) {
        return new DamagedException("journal " + file + ": the record at byte offset " + offset + " is damaged (its"
                + " checksum does not match); start refused so that nothing is lost silently. Keep a copy of the file,"
                + " then start once with --journal-repair to keep every good record and drop the damaged ones");
    }
}
