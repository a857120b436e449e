package dev.herd.server.config;

import dev.herd.protocol.codec.HerdCodec;

import java.time.Duration;

/**
 * What one client connection may do before the server refuses it, pauses it or closes it. Immutable;
 * {@link #check()} says which value is out of range.
 *
 * @param maxLineLength  the longest line read, in bytes
 * @param maxOwedReplies replies a connection may owe before the server stops reading from it until it catches up
 * @param maxConnections connections held at once; more are closed as they arrive
 * @param idleTimeout    how long a connection may stay silent, owing nothing, before it is closed; zero: forever
 * @param lineTimeout    how long a client may take to finish a line once it has started it; zero: forever
 * @param maxOutputBytes bytes of replies a connection may leave unread before the server stops reading from it
 * @param maxIdLength    the longest client id accepted, in bytes
 * @param maxClockAhead  how far ahead of this server's clock a client's time may be; zero: no bound (the
 *                       protocol's rule, newest client time wins, then lets a time far in the future pin a record)
 */
public record ClientLimits(int maxLineLength, int maxOwedReplies, int maxConnections, Duration idleTimeout,
                           Duration lineTimeout, int maxOutputBytes, int maxIdLength, Duration maxClockAhead) {
    public static final int DEFAULT_MAX_OWED_REPLIES = 1024;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** Time a client has to finish a line it has started sending. */
    public static final Duration DEFAULT_LINE_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Bytes of replies a connection may have unwritten before its next lines wait and the server stops
     * reading from it. With the Places share (4 queries of at most ~20 KB answers each) a client that
     * never reads holds at most about 150 KB: 10,000 of them about 1.5 GB.
     */
    public static final int DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_ID_LENGTH = 1024;

    public static final ClientLimits DEFAULT = new ClientLimits(HerdCodec.DEFAULT_MAX_LINE_LENGTH,
            DEFAULT_MAX_OWED_REPLIES, DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT, DEFAULT_LINE_TIMEOUT,
            DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_MAX_ID_LENGTH, Duration.ZERO);

    /** Refuses a value out of range, naming the option and what it expects. */
    public void check() throws ConfigException {
        if (maxLineLength < 64 || maxLineLength > 16 * 1024 * 1024) {
            throw new ConfigException("max-line-length: " + maxLineLength + " (expected: 64-16777216 bytes)");
        }
        if (maxConnections < 1) {
            throw new ConfigException("max-connections: " + maxConnections + " (expected: 1 or more)");
        }
        if (idleTimeout.isNegative()) {
            throw new ConfigException("idle-timeout: " + idleTimeout.toMillis() + " ms (expected: 0 for none, or more)");
        }
        if (maxOwedReplies < 1) {
            throw new ConfigException("max-owed-replies: " + maxOwedReplies + " (expected: 1 or more)");
        }
        if (maxIdLength < 1) {
            throw new ConfigException("max-id-length: " + maxIdLength + " (expected: 1 or more)");
        }
        if (maxClockAhead.isNegative()) {
            throw new ConfigException("max-clock-ahead: " + maxClockAhead.toMillis() + " ms (expected: 0 for no bound, or more)");
        }
        if (lineTimeout.isNegative()) {
            throw new ConfigException("line-timeout: " + lineTimeout.toMillis() + " ms (expected: 0 for none, or more)");
        }
        if (maxOutputBytes < 1024) {
            throw new ConfigException("max-output-bytes: " + maxOutputBytes + " (expected: 1024 or more)");
        }
    }

    @Override
    public String toString() {
        return "maxLineLength=" + maxLineLength + ", maxIdLength=" + maxIdLength
                + ", maxClockAhead=" + (maxClockAhead.isZero() ? "none" : maxClockAhead.toMillis() + "ms")
                + ", lineTimeout=" + lineTimeout.toMillis() + "ms, maxOutputBytes=" + maxOutputBytes;
    }
}
