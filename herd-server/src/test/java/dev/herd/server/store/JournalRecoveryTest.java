package dev.herd.server.store;

import dev.herd.protocol.Bytes;
import dev.herd.server.config.Fsync;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A server's start with a data dir: the journal read back into the store, or one line saying why not. */
class JournalRecoveryTest {
    private static final String A = "AT Hill +0.000000001 a +1+1 1";
    private static final String A_NEWER = "AT Hill +0.000000001 a +1+1 5";
    private static final String B = "AT Hill +0.000000001 b +1+1 2";

    private static final DefaultThreadFactory THREADS = new DefaultThreadFactory("journal-test", true);

    @Test
    void theJournalIsReadIntoTheStoreNewestWinningAndLinesThatAreNotRecordsSkipped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Hill.journal");
        Files.write(file, JournalFixtures.records(A_NEWER, "IAMAT x +1+1 1", A, B));
        LocationStore store = new LocationStore();
        JournalRecovery.Recovered recovered = JournalRecovery.open("Hill", file, false, Fsync.NO, store, THREADS);
        try (Journal journal = recovered.journal()) {
            assertThat(journal.failure()).isNull();
        }
        assertThat(recovered.summary()).matches("Hill: journal " + Pattern.quote(file.toString())
                + ": 4 records read, 2 kept in \\d{1,4} ms \\(fsync no\\)");
        assertThat(store.size()).isEqualTo(2);
        assertThat(store.get(Bytes.utf8("a")).line().toString()).isEqualTo(A_NEWER);
    }

    @Test
    void aDamagedJournalStopsTheStartWithTheReadersLineUnlessRepaired(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Hill.journal");
        byte[] data = JournalFixtures.records(A, B, A_NEWER);
        data[JournalFixtures.records(A).length + 12] ^= 0x01;
        Files.write(file, data);
        assertThatThrownBy(() -> JournalRecovery.open("Hill", file, false, Fsync.NO, new LocationStore(), THREADS))
                .isInstanceOf(JournalRecovery.FailedException.class)
                .hasMessageStartingWith("journal " + file + ": the record at byte offset " + JournalFixtures.records(A).length);
        LocationStore store = new LocationStore();
        JournalRecovery.Recovered recovered = JournalRecovery.open("Hill", file, true, Fsync.NO, store, THREADS);
        recovered.journal().close();
        assertThat(recovered.summary()).contains(": 2 records read, 2 kept in ").endsWith("; repaired: 1 damaged records dropped");
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.get(Bytes.utf8("a")).line().toString()).isEqualTo(A_NEWER);
    }

    @Test
    void aJournalThatCannotBeOpenedNamesTheFileAndTheOption(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Hill.journal");
        Files.createDirectory(file);
        assertThatThrownBy(() -> JournalRecovery.open("Hill", file, false, Fsync.NO, new LocationStore(), THREADS))
                .isInstanceOf(JournalRecovery.FailedException.class)
                .hasMessageStartingWith("journal " + file + ": cannot be read or written (")
                .hasMessageEndingWith("); --data-dir sets its folder");
    }
}
