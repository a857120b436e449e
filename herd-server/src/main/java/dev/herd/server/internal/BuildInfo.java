package dev.herd.server.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Which herd this is: the version Maven wrote into {@code herd-build.properties} when it built the jar,
 * for {@code --version}, {@code /status} and {@code herd_build_info}. Read once, on first use.
 */
public final class BuildInfo {
    private static final String UNKNOWN = "unknown";
    private static final String VERSION = read();

    private BuildInfo() {
    }

    /** The herd's version, e.g. {@code 0.1.0-SNAPSHOT}; "unknown" if the jar was built without its properties. */
    public static String version() {
        return VERSION;
    }

    /** The JVM's version, e.g. {@code 17.0.13}. */
    public static String javaVersion() {
        return Runtime.version().toString();
    }

    /** What {@code --version} prints: {@code PROGRAM VERSION (Java JAVA)}. */
    public static String versionLine(String program) {
        return program + " " + version() + " (Java " + javaVersion() + ")";
    }

    private static String read() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("/herd-build.properties")) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", UNKNOWN);
            // An unfiltered file (run from an IDE that skips Maven's filtering) still says ${...}.
            return v.isBlank() || v.startsWith("${") ? UNKNOWN : v;
        } catch (IOException e) {
            return UNKNOWN;
        }
    }
}
