package dev.herd.server.store;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/** What journal tests share: records as the journal writes them, and a disk that fills on demand. */
public final class JournalFixtures {
    private JournalFixtures() {
    }

    /** The lines as journal records, each behind its checksum. */
    public static byte[] records(String... lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String l : lines) {
            JournalRecord.encode(l.getBytes(StandardCharsets.UTF_8), out);
        }
        return out.toByteArray();
    }

    /** A disk that takes every write (and keeps nothing) until {@code full} says it is full. */
    public static JournalDisk fillingWhen(BooleanSupplier full) {
        return new JournalDisk() {
            @Override
            public long size() {
                return 0;
            }

            @Override
            public void write(ByteBuffer data) throws IOException {
                if (full.getAsBoolean()) {
                    throw new IOException("No space left on device");
                }
                data.position(data.limit());
            }

            @Override
            public void force() {
            }

            @Override
            public void truncate(long size) {
            }

            @Override
            public void close() {
            }
        };
    }
}
