package dev.herd.protocol;

/**
 * The signed time between a client stamping an IAMAT and a server receiving it, as the protocol
 * prints it: always a sign, plain digits, a point and exactly nine fractional digits.
 */
public final class TimeDiff {
    private static final int NANOS_PER_SECOND = 1_000_000_000;

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
        StringBuilder out = new StringBuilder(32);
        out.append(negative ? '-' : '+').append(Math.abs(seconds)).append('.');
        String fraction = Long.toString(Math.abs(nanos));
        for (int pad = fraction.length(); pad < 9; pad++) {
            out.append('0');
        }
        return out.append(fraction).toString();
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
