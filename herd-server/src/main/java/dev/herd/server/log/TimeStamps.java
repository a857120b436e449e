package dev.herd.server.log;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * A log line's time, as log4j2's {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX}} prints it, and a space:
 * formatted once a second, the milliseconds patched in. One writer thread's own (not thread-safe).
 */
final class TimeStamps {
    /** The longest stamp: {@code 2026-12-02T15:07:15.123+05:30 }. */
    static final int LENGTH = 30;

    private final ZoneId zone = ZoneId.systemDefault();
    private final DateTimeFormatter seconds = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.'000'XXX ");
    private long second = Long.MIN_VALUE;
    private byte[] stamp;

    /** The stamp of {@code millis}; valid until the next call. */
    byte[] of(long millis) {
        long s = Math.floorDiv(millis, 1000);
        if (s != second) {
            stamp = seconds.format(Instant.ofEpochSecond(s).atZone(zone)).getBytes(StandardCharsets.US_ASCII);
            second = s;
        }
        int ms = (int) Math.floorMod(millis, 1000);
        stamp[20] = (byte) ('0' + ms / 100);
        stamp[21] = (byte) ('0' + ms / 10 % 10);
        stamp[22] = (byte) ('0' + ms % 10);
        return stamp;
    }
}
