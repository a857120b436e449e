package dev.herd.server.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading a journal back: what the report says, and what damage and repair do, record by record. */
class JournalReaderTest {
    private static final String A = "AT Hill +0.000000001 a +1+1 1";
    private static final String B = "AT Hill +0.000000001 b +1+1 2";
    private static final String C = "AT Hill +0.000000001 c +1+1 3";

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static List<String> lines(List<byte[]> read) {
        return read.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void aWholeJournalReportsItsRecordsAndNothingElse(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Hill.journal");
        Files.write(file, JournalFixtures.records(A, B, C));
        List<byte[]> read = new ArrayList<>();
        JournalReader.Report report = JournalReader.read(file, false, read::add);
        assertThat(lines(read)).containsExactly(A, B, C);
        assertThat(report).isEqualTo(new JournalReader.Report(3, 0, -1, 0));
    }

    @Test
    void aMissingJournalIsEmptyAndAFolderIsRefused(@TempDir Path dir) {
        assertThat(catching(() -> JournalReader.read(dir.resolve("none.journal"), false, b -> { })))
                .isEqualTo(new JournalReader.Report(0, 0, -1, 0));
        assertThatThrownBy(() -> JournalReader.read(dir, false, b -> { })).isInstanceOf(IOException.class)
                .hasMessageContaining("is a directory");
    }

    @Test
    void theBytesOfATornLastRecordAreCountedAndARepairCutsThemOff(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Hill.journal");
        byte[] whole = JournalFixtures.records(A);
        byte[] torn = "1234abcd AT Hill +0.0000".getBytes(StandardCharsets.UTF_8);
        Files.write(file, concat(whole, torn));
        JournalReader.Report plain = JournalReader.read(file, false, b -> { });
        assertThat(plain).isEqualTo(new JournalReader.Report(1, 0, -1, torn.length));
        assertThat(Files.size(file)).as("a plain read changes nothing").isEqualTo(whole.length + torn.length);

        JournalReader.Report repaired = JournalReader.read(file, true, b -> { });
        assertThat(repaired.tornBytes()).isEqualTo(torn.length);
        assertThat(Files.readAllBytes(file)).isEqualTo(whole);
    }

    @Test
    void aDamagedLastWholeRecordCountsAsTornBytes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Hill.journal");
        byte[] good = JournalFixtures.records(A);
        byte[] bad = JournalFixtures.records(B);
        bad[bad.length - 3] ^= 0x01;
        Files.write(file, concat(good, bad));
        JournalReader.Report report = JournalReader.read(file, false, b -> { });
        assertThat(report).isEqualTo(new JournalReader.Report(1, 0, -1, bad.length));
    }

    @Test
    void aBlankLineInTheMiddleIsDamage(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Hill.journal");
        byte[] a = JournalFixtures.records(A);
        Files.write(file, concat(a, "\n".getBytes(StandardCharsets.UTF_8), JournalFixtures.records(B)));
        assertThatThrownBy(() -> JournalReader.read(file, false, b -> { }))
                .isInstanceOf(JournalReader.DamagedException.class).hasMessageContaining("byte offset " + a.length);
        List<byte[]> read = new ArrayList<>();
        JournalReader.Report report = JournalReader.read(file, true, read::add);
        assertThat(lines(read)).containsExactly(A, B);
        assertThat(report).isEqualTo(new JournalReader.Report(2, 1, a.length, 0));
        assertThat(Files.readAllBytes(file)).isEqualTo(JournalFixtures.records(A, B));
    }

    @Test
    void severalDamagedRecordsAreAllCountedAndTheFirstOneIsNamed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Hill.journal");
        byte[] a = JournalFixtures.records(A);
        byte[] b = JournalFixtures.records(B);
        byte[] c = JournalFixtures.records(C);
        b[12] ^= 0x01;
        c[12] ^= 0x01;
        Files.write(file, concat(a, b, c, a));
        JournalReader.Report report = JournalReader.read(file, true, r -> { });
        assertThat(report).isEqualTo(new JournalReader.Report(2, 2, a.length, 0));
    }

    @Test
    void recordsLongerThanTheFirstBufferAreReadWhole(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Hill.journal");
        String longId = "AT Hill +0.000000001 " + "k".repeat(5000) + " +1+1 1";
        Files.write(file, JournalFixtures.records(A, longId, B));
        List<byte[]> read = new ArrayList<>();
        JournalReader.read(file, false, read::add);
        assertThat(lines(read)).containsExactly(A, longId, B);
    }

    @Test
    void aRecordPastTheLongestPossibleIsDamage(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Hill.journal");
        byte[] huge = new byte[JournalReader.MAX_RECORD + 10];
        Arrays.fill(huge, (byte) 'x');
        Files.write(file, concat(JournalFixtures.records(A), huge, "\n".getBytes(StandardCharsets.UTF_8), JournalFixtures.records(B)));
        List<byte[]> read = new ArrayList<>();
        JournalReader.Report report = JournalReader.read(file, true, read::add);
        assertThat(lines(read)).containsExactly(A, B);
        assertThat(report.damaged()).isEqualTo(1);
        assertThat(report.firstDamageOffset()).isEqualTo(JournalFixtures.records(A).length);
    }

    @Test
    void aTornTailLongerThanAnyRecordIsCountedWhole(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Hill.journal");
        byte[] huge = new byte[JournalReader.MAX_RECORD + 100];
        Arrays.fill(huge, (byte) 'x');
        Files.write(file, concat(JournalFixtures.records(A), huge));
        assertThat(JournalReader.read(file, false, b -> { })).isEqualTo(new JournalReader.Report(1, 0, -1, huge.length));
    }

    @Test
    void offsetsPastAnOverlongRecordStayExact(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Hill.journal");
        byte[] huge = new byte[JournalReader.MAX_RECORD + 100];
        Arrays.fill(huge, (byte) 'x');
        byte[] lastDamaged = JournalFixtures.records(B);
        lastDamaged[12] ^= 0x01;
        Files.write(file, concat(JournalFixtures.records(A), huge, "\n".getBytes(StandardCharsets.UTF_8), JournalFixtures.records(C), lastDamaged));
        JournalReader.Report report = JournalReader.read(file, true, b -> { });
        assertThat(report).isEqualTo(new JournalReader.Report(2, 1, JournalFixtures.records(A).length, lastDamaged.length));
    }

    @Test
    void damageAtTheVeryStartIsNamedAtOffsetZero(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Hill.journal");
        byte[] first = JournalFixtures.records(A);
        first[12] ^= 0x01;
        byte[] third = JournalFixtures.records(C);
        third[12] ^= 0x01;
        Files.write(file, concat(first, JournalFixtures.records(B), third, JournalFixtures.records(A)));
        assertThatThrownBy(() -> JournalReader.read(file, false, b -> { }))
                .isInstanceOf(JournalReader.DamagedException.class).hasMessageContaining("byte offset 0 ");
        JournalReader.Report report = JournalReader.read(file, true, b -> { });
        assertThat(report).isEqualTo(new JournalReader.Report(2, 2, 0, 0));
    }

    @Test
    void aJournalOfOneDamagedRecordIsOneTornWrite(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Hill.journal");
        byte[] only = JournalFixtures.records(A);
        only[12] ^= 0x01;
        Files.write(file, only);
        assertThat(JournalReader.read(file, false, b -> { })).isEqualTo(new JournalReader.Report(0, 0, -1, only.length));
    }

    @Test
    void aRepairOfAnUndamagedJournalLeavesTheFileAsItIs(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("Hill.journal");
        // Written before checksums: a repair that rewrote it would add them; nothing to repair, nothing written.
        byte[] legacy = (A + "\n" + B + "\n").getBytes(StandardCharsets.UTF_8);
        Files.write(file, legacy);
        List<byte[]> read = new ArrayList<>();
        assertThat(JournalReader.read(file, true, read::add)).isEqualTo(new JournalReader.Report(2, 0, -1, 0));
        assertThat(lines(read)).containsExactly(A, B);
        assertThat(Files.readAllBytes(file)).isEqualTo(legacy);
    }

    private interface Read {
        JournalReader.Report get() throws IOException;
    }

    private static JournalReader.Report catching(Read read) {
        try {
            return read.get();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
