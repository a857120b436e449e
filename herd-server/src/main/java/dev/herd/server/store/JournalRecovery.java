package dev.herd.server.store;

import dev.herd.protocol.At;
import dev.herd.protocol.MessageParser;
import dev.herd.server.config.Fsync;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;

/**
 * Opens a server's journal: reads it back into the store and returns it, for {@link Updates} to write
 * every record kept from then on. Damage, or a folder that cannot hold the journal, stops the start with one line.
 */
public final class JournalRecovery {

    private JournalRecovery() {
    }

    /** The journal opened, and the line the start logs about it (records read, kept, time, repairs). */
    public record Recovered(Journal journal, String summary) {
    }

    /**
     * Reads {@code file} into {@code store} and returns the journal that from now on gets every record
     * the store keeps (through {@link Updates}), with a line saying what was read.
     *
     * @param repair keep the good records past damage and rewrite the file with them
     * @throws FailedException with the line an operator reads, when the journal cannot be used
     */
    public static Recovered open(String server, Path file, boolean repair, Fsync fsync, LocationStore store,
                                 ThreadFactory threads) {
        try {
            long start = System.nanoTime();
            long[] recovered = {0};
            JournalReader.Report report = JournalReader.read(file, repair, line -> {
                if (MessageParser.parse(line) instanceof At at && store.offer(at)) {
                    recovered[0]++;
                }
            });
            Journal journal = new Journal(file, fsync, store::snapshotLines, threads);
            String summary = server + ": journal " + file + ": " + report.records() + " records read, " + recovered[0]
                    + " kept in " + (System.nanoTime() - start) / 1_000_000 + " ms (fsync "
                    + fsync.name().toLowerCase(Locale.ROOT) + ")"
                    + (report.damaged() > 0 ? "; repaired: " + report.damaged() + " damaged records dropped" : "");
            return new Recovered(journal, summary);
        } catch (JournalReader.DamagedException e) {
            throw new FailedException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new FailedException("journal " + file + ": cannot be read or written (" + e
                    + "); --data-dir sets its folder", e);
        }
    }

    /** The journal cannot be used; the message is the one line that says why. */
    public static final class FailedException extends RuntimeException {
        FailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
