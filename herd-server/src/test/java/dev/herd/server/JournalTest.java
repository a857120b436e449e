package dev.herd.server;

import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JournalTest {
    private static byte[] line(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void whatIsAppendedIsReadBackInOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Hill.journal");
        try (Journal journal = new Journal(file, Journal.Fsync.ALWAYS, List::of, new DefaultThreadFactory("journal-test", true))) {
            journal.append(line("AT Hill +0.000000001 a +1+1 1"));
            journal.append(line("AT Hill +0.000000001 b +1+1 2"));
        }
        assertThat(Journal.read(file)).extracting(b -> new String(b, StandardCharsets.UTF_8))
                .containsExactly("AT Hill +0.000000001 a +1+1 1", "AT Hill +0.000000001 b +1+1 2");
    }

    @Test
    void aTornLastRecordIsSkipped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Hill.journal");
        Files.writeString(file, "AT Hill +0.000000001 a +1+1 1\nAT Hill +0.0000");
        assertThat(Journal.read(file)).hasSize(1);
        assertThat(Journal.read(dir.resolve("missing.journal"))).isEmpty();
    }

    @Test
    void aServerWithADataDirComesBackWithItsRecords(@TempDir Path dir) throws Exception {
        dev.herd.server.config.Topology solo = dev.herd.server.config.Topology.of(
                List.of(new dev.herd.server.config.ServerSpec("Solo", "127.0.0.1", 0, List.of())));
        dev.herd.server.config.HerdConfig config = dev.herd.server.config.HerdConfig.builder(solo, "Solo")
                .ioThreads(1).dataDir(dir).fsync(Journal.Fsync.NO).logDir(dir.resolve("logs")).build();
        try (HerdServer first = new HerdServer(config)) {
            first.start();
            for (int i = 0; i < 100; i++) {
                first.store().offer((dev.herd.protocol.At) dev.herd.protocol.MessageParser.parse(
                        "AT Solo +0.000000001 c" + i + " +1+1 " + (10 + i)));
            }
        }
        try (HerdServer second = new HerdServer(config)) {
            second.start();
            assertThat(second.store().size()).isEqualTo(100);
            assertThat(second.store().get(dev.herd.protocol.Bytes.utf8("c42")).time().seconds()).isEqualTo(52);
        }
    }
}
