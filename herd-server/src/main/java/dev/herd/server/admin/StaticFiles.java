package dev.herd.server.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The status page's files, read from the jar once: a handful of small texts. */
final class StaticFiles {
    private static final String FOLDER = "/dev/herd/server/admin/page/";
    /** Path on the endpoint -> file in the jar and its content type. */
    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/status.css", new String[] {"status.css", "text/css; charset=utf-8"},
            "/status.js", new String[] {"status.js", "text/javascript; charset=utf-8"});

    /** A file's bytes and content type. */
    record File(byte[] bytes, String contentType) {
    }

    private final Map<String, File> files;

    StaticFiles() {
        Map<String, File> loaded = new HashMap<>();
        FILES.forEach((path, file) -> loaded.put(path, new File(read(file[0]), file[1])));
        files = Map.copyOf(loaded);
    }

    Optional<File> get(String path) {
        return Optional.ofNullable(files.get(path));
    }

    private static byte[] read(String name) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("status page file " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
