package dev.herd.server.log;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.protocol.ClientTime;
import dev.herd.protocol.IAmAt;
import dev.herd.protocol.Invalid;
import dev.herd.protocol.Location;
import dev.herd.protocol.TooLongLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ProtocolLogTest {
    @TempDir
    Path dir;

    @Test
    void theFileExistsOnceOpenedBeforeAnyLine() throws Exception {
        Path file = dir.resolve("sub").resolve("Hill.lines.log");
        try (ProtocolLog log = ProtocolLog.open(file, "Hill", 1 << 20, 2)) {
            assertThat(file).exists().isEmptyFile();
            assertThat(log.enabled()).isTrue();
        }
    }

    @Test
    void theEarlyEventWriterRotatesAsTheServersLog4j2ConfigurationDoes() throws Exception {
        // Until log4j2 takes over (StartupWork.DEFERRED after start) the server's own writer keeps NAME.log: the same
        // limit and the same number of files, or a server logging hard in its first seconds would not be capped.
        String config;
        try (var in = ProtocolLogTest.class.getResourceAsStream("/herd-server-log4j2.xml")) {
            assertThat(in).as("herd-server-log4j2.xml on the class path").isNotNull();
            config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(config).contains("<SizeBasedTriggeringPolicy size=\"" + (ProtocolLog.EVENT_FILE_BYTES >> 20) + " MB\"/>")
                .contains("<DefaultRolloverStrategy max=\"" + (ProtocolLog.EVENT_FILES - 1) + "\" fileIndex=\"min\"/>");
    }

    @Test
    void writesEachLineWithItsTimeLevelAndThreadAndTheExchangeAsBytes() throws Exception {
        Path file = dir.resolve("Hill.lines.log");
        IAmAt iamat = new IAmAt(Bytes.utf8("kiwi"), Location.parse("+34-118"), ClientTime.parse("1.5"));
        At record = At.of("Hill", "+0.25", iamat.clientId(), iamat.location(), iamat.time());
        try (ProtocolLog log = ProtocolLog.open(file, "Hill", 1 << 20, 2)) {
            log.begin().text("/127.0.0.1:5000").text(" <- ").received(iamat).text(" => ").sent(record).end();
            log.begin().text("/127.0.0.1:5000 <- ").received(new Invalid(Bytes.utf8("HELLO"), "unknown command"))
                    .text(" => ").sent(new Invalid(Bytes.utf8("HELLO"), "unknown command")).end();
            log.begin().text("x <- ").received(new TooLongLine(Bytes.utf8("AAAA"))).end();
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        String thread = Thread.currentThread().getName();
        assertThat(lines.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  lines \\["
                + Pattern.quote(thread) + "] /127\\.0\\.0\\.1:5000 <- IAMAT kiwi \\+34-118 1\\.5 => AT Hill \\+0\\.25 kiwi \\+34-118 1\\.5");
        assertThat(lines.get(1)).endsWith("/127.0.0.1:5000 <- HELLO   [invalid: unknown command] => ? HELLO");
        assertThat(lines.get(2)).endsWith("x <- AAAA...   [invalid: line too long]");
    }

    @Test
    void clientBytesCannotSplitOrForgeALine() throws Exception {
        Path file = dir.resolve("Hill.lines.log");
        byte[] hostile = "evil\r\n2026-01-01T00:00:00.000Z INFO  lines [x] forged\\x0a \u202e\u0085".getBytes(StandardCharsets.UTF_8);
        byte[] notUtf8 = {'a', (byte) 0xff, 'b'};
        try (ProtocolLog log = ProtocolLog.open(file, "Hill", 1 << 20, 2)) {
            log.begin().text("c <- ").received(new Invalid(Bytes.copyOf(hostile), "unknown command")).end();
            log.begin().text("c <- ").received(new Invalid(Bytes.copyOf(notUtf8), "unknown command")).end();
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("evil\\x0d\\x0a2026-01-01", "forged\\x5cx0a", "\\u{202e}", "\\u{85}")
                .doesNotContain("\u202e");
        assertThat(lines.get(1)).contains("c <- a\\xffb");
    }

    @Test
    void textBeyondAsciiIsWrittenAsUtf8AndLeavesTheRestOfTheLineAlone() throws Exception {
        Path file = dir.resolve("Hill.lines.log");
        IAmAt iamat = new IAmAt(Bytes.utf8("café-Ĥ€"), Location.parse("+34-118"), ClientTime.parse("1"));
        try (ProtocolLog log = ProtocolLog.open(file, "Hill", 1 << 20, 2)) {
            log.begin().text("Ĥill /127.0.0.1:1 <- ").received(iamat).text("   [naïve]").end();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).singleElement().asString()
                .contains(" INFO  lines [", "] Ĥill /127.0.0.1:1 <- IAMAT café-Ĥ€ +34-118 1   [naïve]");
    }

    @Test
    void linesFromManyThreadsAreAllWrittenWholeByClose() throws Exception {
        Path file = dir.resolve("Hill.lines.log");
        int threads = 4;
        int each = 20_000;
        try (ProtocolLog log = ProtocolLog.open(file, "Hill", 1L << 30, 2)) {
            CountDownLatch done = new CountDownLatch(threads);
            for (int t = 0; t < threads; t++) {
                int id = t;
                new Thread(() -> {
                    for (int i = 0; i < each; i++) {
                        log.begin().text("t" + id + " line " + i).end();
                    }
                    done.countDown();
                }, "writer-" + t).start();
            }
            done.await();
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(threads * each);
        for (int t = 0; t < threads; t++) {
            String prefix = "[writer-" + t + "] t" + t + " line ";
            int expected = 0;
            for (String line : lines) {
                int at = line.indexOf(prefix);
                if (at >= 0) {
                    assertThat(line.substring(at + prefix.length())).as("thread %d in order", t).isEqualTo(Integer.toString(expected++));
                }
            }
            assertThat(expected).isEqualTo(each);
        }
    }

    @Test
    void rotatesBySizeAndKeepsAtMostTheFilesAskedFor() throws Exception {
        Path file = dir.resolve("Hill.lines.log");
        long limit = 8192;
        int total = 2_000;
        try (ProtocolLog log = ProtocolLog.open(file, "Hill", limit, 3)) {
            for (int i = 0; i < total; i++) {
                log.begin().text("line " + i).end();
            }
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("Hill.lines.log", "Hill.lines.log.1", "Hill.lines.log.2");
        List<String> kept = new ArrayList<>();
        for (String name : List.of("Hill.lines.log.2", "Hill.lines.log.1", "Hill.lines.log")) {
            Path f = dir.resolve(name);
            assertThat(Files.size(f)).as(name).isLessThanOrEqualTo(limit);
            kept.addAll(Files.readAllLines(f));
        }
        // The newest lines are kept, whole, in order, oldest file first; the oldest were rotated away.
        assertThat(kept.get(kept.size() - 1)).endsWith("line " + (total - 1));
        int first = Integer.parseInt(kept.get(0).substring(kept.get(0).lastIndexOf(' ') + 1));
        assertThat(first).isPositive();
        for (int i = 0; i < kept.size(); i++) {
            assertThat(kept.get(i)).endsWith("] line " + (first + i));
        }
    }

    @Test
    void aLineLongerThanAFileGetsAFileOfItsOwn() throws Exception {
        Path file = dir.resolve("Hill.lines.log");
        String big = "x".repeat(10_000);
        try (ProtocolLog log = ProtocolLog.open(file, "Hill", 4096, 2)) {
            log.begin().text("before").end();
            log.begin().text(big).end();
        }
        assertThat(Files.readString(file)).contains(big).doesNotContain("before");
        assertThat(Files.readString(dir.resolve("Hill.lines.log.1"))).contains("before");
    }

    @Test
    void offWritesNothingAndEventsGoToTheirOwnFile() throws Exception {
        assertThat(ProtocolLog.off().enabled()).isFalse();
        Path file = dir.resolve("Hill.log");
        try (ProtocolLog events = ProtocolLog.events(file, "Hill")) {
            assertThat(events.enabled()).isFalse();
            events.event(0L, "WARN", "dev.herd.server.peer.PeerLink", "main", "peer link to Smith lost");
        }
        assertThat(Files.readString(file)).matches("19\\d\\d-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00\\.000(Z|[+-]\\d\\d:\\d\\d)"
                + " WARN  PeerLink \\[main] peer link to Smith lost\\n")
                .as("in the layout of log4j2's events");
    }
}
