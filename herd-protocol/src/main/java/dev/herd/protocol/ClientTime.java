package dev.herd.protocol;

/**
 * The POSIX time a client stamped on its IAMAT: whole seconds and nanoseconds, compared exactly,
 * plus the text the client sent, which is echoed unchanged.
 */
public record ClientTime(long seconds, int nanos, String text) implements Comparable<ClientTime> {
    /** More integer digits than this could overflow a {@code long}; no real clock gets near it. */
    static final int MAX_SECOND_DIGITS = 18;
    static final int MAX_FRACTION_DIGITS = 9;

    /**
     * Parses {@code digits[.digits]} with at most 9 fractional digits, no sign and no exponent.
     *
     * @return the time, or {@code null} when the bytes are not such a time
     */
    public static ClientTime parse(byte[] b, int from, int to) {
        int i = from;
        long seconds = 0;
        int significant = 0;
        while (i < to && Ascii.isDigit(b[i])) {
            int d = b[i] - '0';
            if (significant > 0 || d != 0) {
                significant++;
            }
            if (significant > MAX_SECOND_DIGITS) {
                return null;
            }
            seconds = seconds * 10 + d;
            i++;
        }
        if (i == from) {
            return null;
        }
        int nanos = 0;
        if (i < to) {
            if (b[i] != '.') {
                return null;
            }
            int fractionStart = ++i;
            while (i < to && Ascii.isDigit(b[i])) {
                i++;
            }
            int fractionDigits = i - fractionStart;
            if (i != to || fractionDigits == 0 || fractionDigits > MAX_FRACTION_DIGITS) {
                return null;
            }
            for (int k = 0; k < MAX_FRACTION_DIGITS; k++) {
                nanos = nanos * 10 + (k < fractionDigits ? b[fractionStart + k] - '0' : 0);
            }
        }
        return new ClientTime(seconds, nanos, Ascii.string(b, from, to));
    }

    public static ClientTime parse(String text) {
        byte[] b = Ascii.bytes(text);
        return parse(b, 0, b.length);
    }

    /**
     * Compares this time with the one written in {@code b[from, to)}, a time {@link #parse} accepted
     * before (a stored record's), without making an object: the store does this for every update.
     */
    public int compareTo(byte[] b, int from, int to) {
        int i = from;
        long otherSeconds = 0;
        while (i < to && b[i] != '.') {
            otherSeconds = otherSeconds * 10 + (b[i++] - '0');
        }
        int c = Long.compare(seconds, otherSeconds);
        if (c != 0) {
            return c;
        }
        int otherNanos = 0;
        i++;
        for (int k = 0; k < MAX_FRACTION_DIGITS; k++, i++) {
            otherNanos = otherNanos * 10 + (i < to ? b[i] - '0' : 0);
        }
        return Integer.compare(nanos, otherNanos);
    }

    @Override
    public int compareTo(ClientTime o) {
        int c = Long.compare(seconds, o.seconds);
        return c != 0 ? c : Integer.compare(nanos, o.nanos);
    }

    public boolean isAfter(ClientTime o) {
        return compareTo(o) > 0;
    }
}
