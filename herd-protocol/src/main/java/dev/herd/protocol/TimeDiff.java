package dev.herd.protocol;

import java.nio.charset.StandardCharsets;

/**
 * The signed time between a client stamping an IAMAT and a server receiving it, as the protocol
 * prints it: always a sign, plain digits, a point and exactly nine fractional digits.
 */
public final class TimeDiff {
    private static final int NANOS_PER_SECOND = 1_000_000_000;
    /** A sign, the 19 digits of the largest long, a point and nine digits. */
    private static final int MAX_LENGTH = 1 + 19 + 1 + 9;

    private TimeDiff() {
    }

    /** {@code received - sent}, exactly, without going through a {@code double}. */
    public static String between(long receivedSeconds, int receivedNanos, ClientTime sent) {
        long seconds = receivedSeconds - sent.seconds();
        long nanos = (long) receivedNanos - sent.nanos();
        if (seconds > 0 && nanos < 0) {
            seconds--;
            nanos += NANOS_PER_SECOND;
        } else if (seconds < 0 && nanos > 0) {
            seconds++;
            nanos -= NANOS_PER_SECOND;
        }
        boolean negative = seconds < 0 || nanos < 0;
        // Written right to left into one array: every IAMAT a server answers makes one of these, and a
        // StringBuilder with Long.toString for the fraction cost a few percent of the whole request.
        long whole = Math.abs(seconds);
        long fraction = Math.abs(nanos);
        byte[] out = new byte[MAX_LENGTH];
        int i = out.length;
        for (int digit = 0; digit < 9; digit++) {
            out[--i] = (byte) ('0' + fraction % 10);
            fraction /= 10;
        }
        out[--i] = '.';
        do {
            out[--i] = (byte) ('0' + whole % 10);
            whole /= 10;
        } while (whole != 0);
        out[--i] = (byte) (negative ? '-' : '+');
        return new String(out, i, out.length - i, StandardCharsets.ISO_8859_1);
    }

    /** Whether {@code text} has the form this class prints: {@code [+-]digits.ddddddddd}. */
    public static boolean isValid(byte[] b, int from, int to) {
        if (to - from < 12 || !Ascii.isSign(b[from])) {
            return false;
        }
        int point = to - 10;
        if (b[point] != '.') {
            return false;
        }
        for (int i = from + 1; i < to; i++) {
            if (i != point && !Ascii.isDigit(b[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * When the server that made a record received its IAMAT, in nanoseconds since the epoch: the client's
     * time plus the record's time difference. {@link Long#MIN_VALUE} when that is not a time a clock can
     * read now (a client time or a difference beyond about 290 years, or a difference not in this form).
     */
    public static long receivedEpochNanos(ClientTime sent, String diff) {
        int point = diff.length() - 10;
        if (point < 2 || point > 19 || diff.charAt(point) != '.') {
            return Long.MIN_VALUE;
        }
        long seconds = 0;
        for (int i = 1; i < point; i++) {
            seconds = seconds * 10 + (diff.charAt(i) - '0');
        }
        long nanos = 0;
        for (int i = point + 1; i < diff.length(); i++) {
            nanos = nanos * 10 + (diff.charAt(i) - '0');
        }
        try {
            long magnitude = Math.addExact(Math.multiplyExact(seconds, NANOS_PER_SECOND), nanos);
            long sentNanos = Math.addExact(Math.multiplyExact(sent.seconds(), NANOS_PER_SECOND), sent.nanos());
            return diff.charAt(0) == '-' ? Math.subtractExact(sentNanos, magnitude) : Math.addExact(sentNanos, magnitude);
        } catch (ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }
}
