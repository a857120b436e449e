package dev.herd.server.config;

import org.jspecify.annotations.Nullable;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where and how records are kept. Immutable.
 *
 * @param dataDir       the journal's folder; null: records live in memory only
 * @param fsync         when the journal reaches the disk
 * @param journalRepair whether a damaged journal is repaired at start (good records kept, the file
 *                      rewritten) instead of refused
 * @param maxStoreBytes bytes of records (lines and a fixed overhead each) the store holds before it
 *                      refuses new client ids; 0: half the heap
 */
public record StorageSettings(@Nullable Path dataDir, Fsync fsync, boolean journalRepair, long maxStoreBytes) {
    public static final StorageSettings IN_MEMORY = new StorageSettings(null, Fsync.EVERYSEC, false, 0);

    /** The store's limit in bytes: as set, else half the heap (the rest is for connections, buffers and the journal's queue). */
    public long storeLimit() {
        return maxStoreBytes > 0 ? maxStoreBytes : Runtime.getRuntime().maxMemory() / 2;
    }

    public Optional<Path> journalDir() {
        return Optional.ofNullable(dataDir);
    }

    /** The journal of server {@code name}: {@code NAME.journal} in the data dir. */
    public Path journalFile(String name) {
        if (dataDir == null) {
            throw new IllegalStateException("no data dir: records live in memory only");
        }
        return dataDir.resolve(name + ".journal");
    }

    public void check() throws ConfigException {
        if (maxStoreBytes < 0) {
            throw new ConfigException("max-store-bytes: " + maxStoreBytes + " (expected: 0 for half the heap, or more)");
        }
    }

    @Override
    public String toString() {
        return "dataDir=" + (dataDir == null ? "none" : dataDir + " (fsync " + fsync.name().toLowerCase(Locale.ROOT) + ")")
                + ", maxStoreBytes=" + storeLimit();
    }
}
