package dev.herd.server.store;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One record of the journal: {@code cccccccc AT ...\n}, the CRC32C of the AT line in eight hex digits,
 * a space, the line. The one place that writes and checks the format. Lines without the checksum
 * (journals written before it existed) start with {@code AT } and are read as they are.
 */
final class JournalRecord {
    /** Bytes a record takes beyond its line: the checksum, the space and the newline. */
    static final int OVERHEAD = 10;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private JournalRecord() {
    }

    static void encode(byte[] line, ByteArrayOutputStream out) {
        long crc = crc(line, 0, line.length);
        for (int shift = 28; shift >= 0; shift -= 4) {
            out.write(HEX[(int) (crc >>> shift) & 0xf]);
        }
        out.write(' ');
        out.write(line, 0, line.length);
        out.write('\n');
    }

    /**
     * The AT line of a record read from a journal (without its newline), or null if it is damaged: its
     * checksum does not match, or it has none and is not an old unchecked AT line.
     */
    static byte[] decode(byte[] record, int length) {
        if (length >= 3 && record[0] == 'A' && record[1] == 'T' && record[2] == ' ') {
            return Arrays.copyOf(record, length); // written before checksums
        }
        if (length < OVERHEAD || record[8] != ' ') {
            return null;
        }
        long expected = 0;
        for (int i = 0; i < 8; i++) {
            int d = Character.digit(record[i], 16);
            if (d < 0 || Character.isUpperCase(record[i])) {
                return null;
            }
            expected = (expected << 4) | d;
        }
        if (crc(record, 9, length) != expected) {
            return null;
        }
        return Arrays.copyOfRange(record, 9, length);
    }

    /** Writes {@code lines} as records to a new {@code file}, synced; returns its size. */
    static long writeAll(Path file, List<byte[]> lines) throws IOException {
        long size = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            ByteArrayOutputStream record = new ByteArrayOutputStream(128);
            for (byte[] line : lines) {
                record.reset();
                encode(line, record);
                record.writeTo(out);
                size += record.size();
            }
        }
        try (var channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        return size;
    }

    private static long crc(byte[] b, int from, int to) {
        CRC32C crc = new CRC32C();
        crc.update(b, from, to - from);
        return crc.getValue();
    }
}
