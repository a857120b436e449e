package dev.herd.server.config;

import java.util.Locale;

/** When the journal reaches the disk ({@code --fsync}, as Redis's appendfsync). */
public enum Fsync {
    /** After every batch of writes. */
    ALWAYS,
    /** At most a second after a write (default). */
    EVERYSEC,
    /** When the operating system decides; the data survives a crash of the process, not of the machine. */
    NO;

    public static Fsync named(String name) {
        return Fsync.valueOf(name.toUpperCase(Locale.ROOT));
    }
}
