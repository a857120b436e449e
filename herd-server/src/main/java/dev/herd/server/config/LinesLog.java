package dev.herd.server.config;

/**
 * The protocol log's rotation: past {@code fileBytes} the file is rotated, and {@code files} files are
 * kept in all (the current one and {@code files - 1} rotated), so it never holds more than
 * {@code fileBytes * files}.
 */
public record LinesLog(long fileBytes, int files) {
    /** 64 MiB files, 8 kept: at most 512 MiB, some 3.5 million lines. */
    public static final LinesLog DEFAULT = new LinesLog(64L << 20, 8);

    public void check() throws ConfigException {
        if (fileBytes < 4096) {
            throw new ConfigException("lines-log-size: " + fileBytes + " (expected: 4k or more)");
        }
        if (files < 1 || files > 1000) {
            throw new ConfigException("lines-log-files: " + files + " (expected: 1 to 1000)");
        }
    }
}
