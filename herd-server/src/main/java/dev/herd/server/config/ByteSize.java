package dev.herd.server.config;

import java.util.Locale;

/** A size in bytes as operators write it: a whole number with an optional k, m or g suffix (powers of 1024). */
public final class ByteSize {
    private ByteSize() {
    }

    /** Reads {@code text}; {@code what} names the setting in the error. */
    public static long parse(String text, String what) throws ConfigException {
        String t = text.toLowerCase(Locale.ROOT);
        int shift = t.endsWith("k") ? 10 : t.endsWith("m") ? 20 : t.endsWith("g") ? 30 : 0;
        String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n < 0 || n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new ConfigException(what + ": " + text + " (expected: bytes, such as 500m or 2g)");
        }
    }
}
