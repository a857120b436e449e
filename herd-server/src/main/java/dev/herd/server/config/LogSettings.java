package dev.herd.server.config;

import java.nio.file.Path;

/**
 * Where a server's logs go, and how the protocol log rotates. Immutable.
 *
 * @param dir   the folder of both logs
 * @param lines the protocol log's rotation
 */
public record LogSettings(Path dir, LinesLog lines) {
    public static final Path DEFAULT_DIR = Path.of("logs");
    public static final LogSettings DEFAULT = new LogSettings(DEFAULT_DIR, LinesLog.DEFAULT);

    /** The event log (links, Places, lifecycle) of server {@code name}: {@code NAME.log}. */
    public Path eventFile(String name) {
        return dir.resolve(name + ".log");
    }

    /** The protocol log (every line received and sent) of server {@code name}: {@code NAME.lines.log}. */
    public Path linesFile(String name) {
        return dir.resolve(name + ".lines.log");
    }

    @Override
    public String toString() {
        return "logDir=" + dir + ", linesLog=" + lines;
    }
}
