package dev.herd.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's packages form layers and nothing imports upward (docs/ARCHITECTURE.md): each package
 * imports only the packages listed for it here. Read from the sources, so a new import that breaks
 * the layering fails the build with the file and the import.
 */
class PackageLayersTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/herd/server");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?dev\\.herd\\.server\\.(\\w+)", Pattern.MULTILINE);

    /** Each package, and the server packages it may import (besides its own). */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("log", Set.of()),
            Map.entry("internal", Set.of("log")),
            Map.entry("config", Set.of("internal")),
            Map.entry("store", Set.of("log", "internal", "config")),
            Map.entry("places", Set.of("log", "internal", "config")),
            Map.entry("metrics", Set.of("store", "places")),
            Map.entry("peer", Set.of("log", "internal", "config", "store", "metrics")),
            Map.entry("client", Set.of("log", "internal", "config", "store", "places", "metrics")),
            Map.entry("admin", Set.of("log", "internal", "metrics")),
            Map.entry("cli", Set.of("internal", "config")),
            Map.entry("", Set.of("log", "internal", "config", "store", "places", "metrics", "peer", "client", "admin")));

    @Test
    void everyPackageImportsOnlyThePackagesBelowIt() throws IOException {
        List<String> upward = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path file : files) {
            String pkg = SOURCES.relativize(file.getParent()).toString().replace('/', '.');
            assertThat(ALLOWED).as("a layer for package '%s' (%s)", pkg, file).containsKey(pkg);
            Matcher m = IMPORT.matcher(Files.readString(file));
            while (m.find()) {
                String imported = Character.isUpperCase(m.group(1).charAt(0)) ? "" : m.group(1);
                if (!imported.equals(pkg) && !ALLOWED.get(pkg).contains(imported)) {
                    upward.add(file + " imports dev.herd.server." + m.group(1));
                }
            }
        }
        assertThat(files).hasSizeGreaterThan(50);
        assertThat(upward).as("imports against the layering").isEmpty();
    }
}
