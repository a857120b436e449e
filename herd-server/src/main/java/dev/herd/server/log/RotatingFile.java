package dev.herd.server.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A log file that rotates by size, as logrotate's {@code size} and {@code rotate N} would: once
 * writing more would take {@code NAME} past its size limit, {@code NAME.1} becomes {@code NAME.2}
 * and so on, the oldest ({@code NAME.(files-1)}) is deleted, {@code NAME} becomes {@code NAME.1},
 * and a new {@code NAME} is started. So at most {@code files} files are kept, each at most the limit
 * (a single write larger than the limit excepted): the total is capped. One writer thread's own.
 */
final class RotatingFile implements AutoCloseable {
    private final Path path;
    private final long maxBytes;
    private final int files;
    private FileChannel channel;
    private long size;

    private RotatingFile(Path path, long maxBytes, int files) {
        this.path = path;
        this.maxBytes = maxBytes;
        this.files = files;
    }

    /** Opens {@code path} for appending (created, with its folder, if missing). */
    static RotatingFile open(Path path, long maxBytes, int files) throws IOException {
        if (maxBytes < 1 || files < 1) {
            throw new IllegalArgumentException("rotation: " + maxBytes + " bytes, " + files + " files");
        }
        RotatingFile f = new RotatingFile(path, maxBytes, files);
        f.reopen();
        return f;
    }

    /** Creates the file and its folder if they do not exist yet. */
    static void create(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        if (!Files.exists(path)) {
            try {
                Files.createFile(path);
            } catch (FileAlreadyExistsException e) {
                // Made meanwhile by another writer: what we wanted.
            }
        }
    }

    Path path() {
        return path;
    }

    /**
     * Appends all of {@code bytes}, whole lines, rotating whenever the next lines would take the file
     * past its limit; a single line longer than the limit gets a file of its own.
     */
    void write(ByteBuffer bytes) throws IOException {
        if (channel == null) {
            reopen(); // a failed rotation or write left it closed: try again
        }
        while (bytes.hasRemaining()) {
            int fits = (int) Math.min(bytes.remaining(), Math.max(0, maxBytes - size));
            int end = bytes.position() + fits;
            if (fits < bytes.remaining()) {
                // Cut after the last line end that fits, so no line is split across two files.
                while (end > bytes.position() && bytes.get(end - 1) != '\n') {
                    end--;
                }
                if (end == bytes.position()) {
                    if (size > 0) {
                        rotate();
                        continue;
                    }
                    end = lineEnd(bytes); // an empty file and a line longer than the limit: it goes whole
                }
            }
            ByteBuffer part = bytes.duplicate().limit(end);
            while (part.hasRemaining()) {
                size += channel.write(part);
            }
            bytes.position(end);
        }
    }

    private static int lineEnd(ByteBuffer bytes) {
        for (int i = bytes.position(); i < bytes.limit(); i++) {
            if (bytes.get(i) == '\n') {
                return i + 1;
            }
        }
        return bytes.limit();
    }

    private void rotate() throws IOException {
        channel.close();
        channel = null;
        Files.deleteIfExists(numbered(files - 1));
        for (int i = files - 2; i >= 1; i--) {
            if (Files.exists(numbered(i))) {
                Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (files > 1) {
            Files.move(path, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.delete(path);
        }
        reopen();
    }

    private Path numbered(int i) {
        return i == 0 ? path : path.resolveSibling(path.getFileName() + "." + i);
    }

    private void reopen() throws IOException {
        create(path);
        channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        size = channel.size();
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
