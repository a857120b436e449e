package dev.herd.server.store;

import dev.herd.server.config.Fsync;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The journal writer's file: what reaches it, when it is synced, what a failed write leaves, compaction. */
class JournalAppenderTest {
    private static final String A = "AT Hill +0.000000001 a +1+1 1";
    private static final String B = "AT Hill +0.000000001 b +1+1 2";

    private static byte[] line(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A disk in memory that counts its syncs and can be made to fail, with or without a message. */
    private static final class MemoryDisk implements JournalDisk {
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        int writes;
        int forces;
        boolean closed;
        String failing;
        long truncatedTo = -1;

        @Override
        public long size() {
            return data.size();
        }

        @Override
        public void write(ByteBuffer buffer) throws IOException {
            writes++;
            if (failing != null) {
                throw failing.isEmpty() ? new IOException() : new IOException(failing);
            }
            byte[] all = new byte[buffer.remaining()];
            buffer.get(all);
            data.writeBytes(all);
        }

        @Override
        public void force() {
            forces++;
        }

        @Override
        public void truncate(long size) {
            truncatedTo = size;
            byte[] kept = Arrays.copyOf(data.toByteArray(), (int) size);
            data.reset();
            data.writeBytes(kept);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static JournalAppender appender(MemoryDisk disk, Fsync fsync, JournalBacklog backlog) throws IOException {
        return new JournalAppender(Path.of("Hill.journal"), fsync, path -> disk, backlog);
    }

    @Test
    void heldRecordsReachTheDiskInOneWriteAndLeaveTheBacklog() throws IOException {
        MemoryDisk disk = new MemoryDisk();
        JournalBacklog backlog = new JournalBacklog();
        backlog.queued(JournalBacklog.BEHIND_BYTES + JournalFixtures.records(A, B).length);
        JournalAppender appender = appender(disk, Fsync.NO, backlog);
        assertThat(appender.write()).as("nothing held: nothing to do").isNull();
        assertThat(disk.writes).isZero();
        appender.hold(line(A));
        appender.hold(line(B));
        assertThat(appender.heldLines()).isEqualTo(2);
        assertThat(appender.write()).isNull();
        assertThat(disk.data.toByteArray()).isEqualTo(JournalFixtures.records(A, B));
        assertThat(disk.writes).isEqualTo(1);
        assertThat(appender.heldLines()).isZero();
        assertThat(backlog.isBehind()).as("the written bytes left the backlog").isFalse();
        assertThat(disk.forces).as("fsync no").isZero();
    }

    @Test
    void fsyncAlwaysSyncsEveryWriteAndEverysecNotWithinTheSecond() throws IOException {
        MemoryDisk always = new MemoryDisk();
        JournalAppender a = appender(always, Fsync.ALWAYS, new JournalBacklog());
        a.hold(line(A));
        a.write();
        a.hold(line(B));
        a.write();
        assertThat(always.forces).isEqualTo(2);

        MemoryDisk everysec = new MemoryDisk();
        JournalAppender e = appender(everysec, Fsync.EVERYSEC, new JournalBacklog());
        e.hold(line(A));
        e.write();
        assertThat(everysec.forces).as("within the first second").isZero();
    }

    @Test
    void aFailedWriteCutsTheFileBackKeepsTheRecordsAndSaysWhy() throws IOException {
        MemoryDisk disk = new MemoryDisk();
        JournalAppender appender = appender(disk, Fsync.NO, new JournalBacklog());
        appender.hold(line(A));
        appender.write();
        disk.failing = "No space left on device";
        appender.hold(line(B));
        assertThat(appender.write()).isEqualTo("No space left on device");
        assertThat(disk.truncatedTo).as("cut back to its last whole record").isEqualTo(JournalFixtures.records(A).length);
        assertThat(appender.heldLines()).as("kept for the next try").isEqualTo(1);
        disk.failing = "";
        assertThat(appender.write()).as("an error without a message is named by its class").isEqualTo("IOException");
        disk.failing = null;
        assertThat(appender.write()).isNull();
        assertThat(disk.data.toByteArray()).isEqualTo(JournalFixtures.records(A, B));
        appender.close();
        assertThat(disk.closed).isTrue();
        assertThat(disk.forces).as("synced on close").isEqualTo(1);
    }

    @Test
    void aJournalFourTimesTheStoreIsRewrittenFromIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Hill.journal");
        JournalAppender appender = new JournalAppender(file, Fsync.NO, JournalFile::open, new JournalBacklog(), 100);
        List<byte[]> store = new ArrayList<>(List.of(line(A)));
        for (int i = 0; i < 8; i++) {
            appender.hold(line(A));
        }
        appender.write();
        long before = Files.size(file);
        assertThat(before).isGreaterThan(100);
        assertThat(appender.compactIfDue(() -> store)).isNull();
        assertThat(Files.readAllBytes(file)).isEqualTo(JournalFixtures.records(A));
        // Just compacted: not again until the journal is four times the live records.
        appender.hold(line(B));
        appender.write();
        assertThat(appender.compactIfDue(() -> List.of(line(A), line(B)))).isNull();
        assertThat(Files.readAllBytes(file)).as("below four times: left as it is").isEqualTo(JournalFixtures.records(A, B));
        appender.close();
    }

    @Test
    void aSmallJournalIsNotCompacted(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Hill.journal");
        JournalAppender appender = new JournalAppender(file, Fsync.NO, JournalFile::open, new JournalBacklog(), 1 << 20);
        for (int i = 0; i < 8; i++) {
            appender.hold(line(A));
        }
        appender.write();
        assertThat(appender.compactIfDue(() -> List.of(line(A)))).isNull();
        assertThat(Files.size(file)).isEqualTo(8L * JournalFixtures.records(A).length);
        appender.close();
    }

    @Test
    void aJournalExactlyAtTheThresholdIsCompacted(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Hill.journal");
        long eight = 8L * JournalFixtures.records(A).length;
        JournalAppender at = new JournalAppender(file, Fsync.NO, JournalFile::open, new JournalBacklog(), eight);
        for (int i = 0; i < 8; i++) {
            at.hold(line(A));
        }
        at.write();
        at.compactIfDue(() -> List.of(line(A)));
        assertThat(Files.readAllBytes(file)).isEqualTo(JournalFixtures.records(A));
        at.close();

        Path other = dir.resolve("Jaquez.journal");
        JournalAppender below = new JournalAppender(other, Fsync.NO, JournalFile::open, new JournalBacklog(), eight + 1);
        for (int i = 0; i < 8; i++) {
            below.hold(line(A));
        }
        below.write();
        below.compactIfDue(() -> List.of(line(A)));
        assertThat(Files.size(other)).as("a byte short of the threshold").isEqualTo(eight);
        below.close();
    }

    @Test
    void aCompactionThatCannotWriteLeavesTheJournalAsItIs(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Hill.journal");
        JournalAppender appender = new JournalAppender(file, Fsync.NO, JournalFile::open, new JournalBacklog(), 10);
        for (int i = 0; i < 4; i++) {
            appender.hold(line(A));
        }
        appender.write();
        // Where the compacted copy would be written is taken by a folder: the copy cannot be made.
        Files.createDirectory(dir.resolve("Hill.journal.compacting"));
        assertThat(appender.compactIfDue(() -> List.of(line(A)))).isNull();
        assertThat(Files.size(file)).isEqualTo(4L * JournalFixtures.records(A).length);
        appender.hold(line(B));
        assertThat(appender.write()).as("still writable").isNull();
        appender.close();
    }
}
