package dev.herd.server.store;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.protocol.MessageParser;
import dev.herd.server.HerdServer;
import dev.herd.server.config.Fsync;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import dev.herd.testing.Wait;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JournalTest {
    private static byte[] line(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<byte[]> read(Path file) throws IOException {
        List<byte[]> lines = new ArrayList<>();
        JournalReader.read(file, false, lines::add);
        return lines;
    }

    @Test
    void whatIsAppendedIsReadBackInOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Hill.journal");
        try (Journal journal = new Journal(file, Fsync.ALWAYS, List::of, new DefaultThreadFactory("journal-test", true))) {
            journal.append(line("AT Hill +0.000000001 a +1+1 1"));
            journal.append(line("AT Hill +0.000000001 b +1+1 2"));
        }
        assertThat(read(file)).extracting(b -> new String(b, StandardCharsets.UTF_8))
                .containsExactly("AT Hill +0.000000001 a +1+1 1", "AT Hill +0.000000001 b +1+1 2");
    }

    @Test
    void aTornLastRecordIsSkipped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Hill.journal");
        Files.writeString(file, "AT Hill +0.000000001 a +1+1 1\nAT Hill +0.0000");
        assertThat(read(file)).hasSize(1);
        assertThat(read(dir.resolve("missing.journal"))).isEmpty();
    }

    @Test
    void aServerWithADataDirComesBackWithItsRecords(@TempDir Path dir) throws Exception {
        Topology solo = Topology.of(
                List.of(new ServerSpec("Solo", "127.0.0.1", 0, List.of())));
        HerdConfig config = HerdConfig.builder(solo, "Solo")
                .ioThreads(1).dataDir(dir).fsync(Fsync.NO).logDir(dir.resolve("logs")).build();
        try (HerdServer first = new HerdServer(config)) {
            first.start();
            for (int i = 0; i < 100; i++) {
                first.store().offer((At) MessageParser.parse(
                        "AT Solo +0.000000001 c" + i + " +1+1 " + (10 + i)));
            }
        }
        try (HerdServer second = new HerdServer(config)) {
            second.start();
            assertThat(second.store().size()).isEqualTo(100);
            assertThat(second.store().get(Bytes.utf8("c42")).time().seconds()).isEqualTo(52);
        }
    }

    private static final String A = "AT Hill +0.000000001 a +1+1 1";
    private static final String B = "AT Hill +0.000000001 b +1+1 2";
    private static final String C = "AT Hill +0.000000001 c +1+1 3";

    @Test
    void everyRecordIsWrittenBehindItsChecksum(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Hill.journal");
        try (Journal journal = new Journal(file, Fsync.ALWAYS, List::of, new DefaultThreadFactory("journal-test", true))) {
            journal.append(line(A));
        }
        String text = Files.readString(file);
        CRC32C crc = new CRC32C();
        crc.update(line(A));
        assertThat(text).isEqualTo(String.format("%08x %s%n", crc.getValue(), A));
    }

    @Test
    void aFlippedByteInTheMiddleStopsTheStartNamingTheFileAndOffset(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Hill.journal");
        byte[] data = JournalFixtures.records(A, B, C);
        int secondRecord = data.length / 3;
        // The time of B: 2 -> 7, as a flipped bit in a time field once pinned a client in the year 2277.
        data[2 * secondRecord - 2] = '7';
        Files.write(file, data);
        assertThatThrownBy(() -> read(file)).isInstanceOf(JournalReader.DamagedException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("byte offset " + secondRecord)
                .hasMessageContaining("--journal-repair");
    }

    @Test
    void aRepairKeepsEveryGoodRecordRewritesTheFileAndCountsTheLoss(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Hill.journal");
        byte[] data = JournalFixtures.records(A, B, C);
        data[data.length / 3 + 12] ^= 0x01;
        Files.write(file, data);
        List<byte[]> kept = new ArrayList<>();
        JournalReader.Report report = JournalReader.read(file, true, kept::add);
        assertThat(kept).extracting(b -> new String(b, StandardCharsets.UTF_8)).containsExactly(A, C);
        assertThat(report.damaged()).isEqualTo(1);
        assertThat(report.firstDamageOffset()).isEqualTo(data.length / 3);
        assertThat(read(file)).hasSize(2); // the file now holds only good records: a normal start reads it
    }

    @Test
    void aDamagedLastRecordIsATornWriteAndIsSkipped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Hill.journal");
        byte[] data = JournalFixtures.records(A, B);
        data[data.length - 3] ^= 0x01;
        Files.write(file, data);
        assertThat(read(file)).extracting(b -> new String(b, StandardCharsets.UTF_8)).containsExactly(A);
    }

    @Test
    void journalsWrittenBeforeChecksumsAreStillRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Hill.journal");
        Files.write(file, (A + "\n" + new String(JournalFixtures.records(B), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        assertThat(read(file)).hasSize(2);
    }

    /** A disk that fills: writes fail while {@code full} is set, and succeed again once it is cleared. */
    private static final class FillingDisk implements JournalDisk {
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        volatile boolean full;

        @Override
        public long size() {
            return data.size();
        }

        @Override
        public void write(ByteBuffer buffer) throws IOException {
            if (full) {
                // Half of it lands, as on a disk that fills mid-write.
                int half = buffer.remaining() / 2;
                byte[] some = new byte[half];
                buffer.get(some);
                data.write(some, 0, half);
                throw new IOException("No space left on device");
            }
            byte[] all = new byte[buffer.remaining()];
            buffer.get(all);
            data.write(all, 0, all.length);
        }

        @Override
        public void force() throws IOException {
            if (full) {
                throw new IOException("No space left on device");
            }
        }

        @Override
        public void truncate(long size) {
            byte[] kept = Arrays.copyOf(data.toByteArray(), (int) size);
            data.reset();
            data.write(kept, 0, kept.length);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aFullDiskFailsTheAcknowledgementsThenRecoversByItselfLosingNothing(@TempDir Path dir) throws Exception {
        FillingDisk disk = new FillingDisk();
        try (Journal journal = new Journal(dir.resolve("Hill.journal"), Fsync.ALWAYS, List::of,
                new DefaultThreadFactory("journal-test", true), path -> disk)) {
            journal.append(line(A));
            journal.barrier().get(5, TimeUnit.SECONDS);
            disk.full = true;
            journal.append(line(B));
            assertThatThrownBy(() -> journal.barrier().get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IOException.class);
            assertThat(journal.failure()).contains("No space left");
            // While it fails, acknowledgements fail at once.
            assertThat(journal.barrier()).isCompletedExceptionally();
            // The file was cut back to its last whole record.
            assertThat(new String(disk.data.toByteArray(), StandardCharsets.UTF_8)).isEqualTo(new String(JournalFixtures.records(A), StandardCharsets.UTF_8));
            disk.full = false;
            Wait.until("the journal to write again", Duration.ofSeconds(5), () -> journal.failure() == null);
            journal.append(line(C));
            journal.barrier().get(5, TimeUnit.SECONDS);
        }
        assertThat(new String(disk.data.toByteArray(), StandardCharsets.UTF_8))
                .isEqualTo(new String(JournalFixtures.records(A, B, C), StandardCharsets.UTF_8));
    }

    /** A disk whose writes wait until the test lets them through, and that says when it was synced and closed. */
    private static final class GatedDisk implements JournalDisk {
        final CountDownLatch open = new CountDownLatch(1);
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        volatile boolean forced;
        volatile boolean closed;

        @Override
        public long size() {
            return 0;
        }

        @Override
        public void write(ByteBuffer buffer) {
            try {
                open.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] all = new byte[buffer.remaining()];
            buffer.get(all);
            synchronized (data) {
                data.write(all, 0, all.length);
            }
        }

        @Override
        public void force() {
            forced = true;
        }

        @Override
        public void truncate(long size) {
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void aJournalFarBehindPausesReadersUntilItHasCaughtUp(@TempDir Path dir) throws Exception {
        GatedDisk disk = new GatedDisk();
        try (Journal journal = new Journal(dir.resolve("Hill.journal"), Fsync.NO, List::of,
                new DefaultThreadFactory("journal-test", true), path -> disk)) {
            EmbeddedChannel reader = new EmbeddedChannel();
            journal.pushBack(reader);
            assertThat(journal.isBehind()).isFalse();
            assertThat(reader.config().isAutoRead()).isTrue();
            byte[] big = line("AT Hill +0.000000001 " + "k".repeat(64 * 1024) + " +1+1 1");
            for (int i = 0; i < 520; i++) {
                journal.append(big);
            }
            assertThat(journal.isBehind()).as("some 33 MB waiting").isTrue();
            journal.pushBack(reader);
            assertThat(reader.config().isAutoRead()).as("paused while behind").isFalse();
            AtomicBoolean resumed = new AtomicBoolean();
            journal.whenCaughtUp(() -> resumed.set(true));
            assertThat(resumed).isFalse();
            disk.open.countDown();
            journal.barrier().get(10, TimeUnit.SECONDS);
            Wait.until("the journal to say it caught up", Duration.ofSeconds(10), resumed::get);
            assertThat(journal.isBehind()).isFalse();
            reader.runPendingTasks();
            assertThat(reader.config().isAutoRead()).as("reading again").isTrue();
            reader.finishAndReleaseAll();
        }
    }

    @Test
    void closingWritesWhatIsQueuedSyncsAndClosesTheFile(@TempDir Path dir) throws Exception {
        GatedDisk disk = new GatedDisk();
        disk.open.countDown();
        Journal journal = new Journal(dir.resolve("Hill.journal"), Fsync.NO, List::of,
                new DefaultThreadFactory("journal-test", true), path -> disk);
        journal.append(line(A));
        journal.append(line(B));
        journal.close();
        assertThat(disk.closed).isTrue();
        assertThat(disk.forced).isTrue();
        assertThat(new String(disk.data.toByteArray(), StandardCharsets.UTF_8))
                .isEqualTo(new String(JournalFixtures.records(A, B), StandardCharsets.UTF_8));
    }
}
