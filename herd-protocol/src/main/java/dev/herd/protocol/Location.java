package dev.herd.protocol;

/**
 * An ISO 6709 point in decimal degrees, {@code [+-]DD[.d...][+-]DDD[.d...]}, as the text the client
 * sent (echoed unchanged, and sent to Places digit for digit). Its numeric value is worked out only
 * when asked for: most locations are only ever echoed and flooded, never searched around.
 *
 * @param latitudeText  the latitude as sent, with its sign, e.g. {@code +34.068930}
 * @param longitudeText the longitude as sent, with its sign, e.g. {@code -118.445127}
 */
public record Location(String latitudeText, String longitudeText) {
    private static final int MAX_LATITUDE = 90;
    private static final int MAX_LONGITUDE = 180;

    /** @return the location, or {@code null} when the bytes are not a valid ISO 6709 point in range */
    public static Location parse(byte[] b, int from, int to) {
        int latEnd = coordinateEnd(b, from, to, 2);
        if (latEnd < 0 || latEnd >= to || !inRange(b, from, latEnd, MAX_LATITUDE)) {
            return null;
        }
        int lngEnd = coordinateEnd(b, latEnd, to, 3);
        if (lngEnd != to || !inRange(b, latEnd, lngEnd, MAX_LONGITUDE)) {
            return null;
        }
        return new Location(Ascii.string(b, from, latEnd), Ascii.string(b, latEnd, lngEnd));
    }

    public static Location parse(String text) {
        byte[] b = Ascii.bytes(text);
        return parse(b, 0, b.length);
    }

    /** The latitude in degrees (nearest double). */
    public double latitude() {
        return Double.parseDouble(latitudeText);
    }

    /** The longitude in degrees (nearest double). */
    public double longitude() {
        return Double.parseDouble(longitudeText);
    }

    /** The location as the client wrote it. */
    public String text() {
        return latitudeText + longitudeText;
    }

    /**
     * Scans {@code [+-]D{1,maxIntDigits}[.D+]} from {@code from}.
     *
     * @return the index after it, or -1 if the bytes there do not have that form
     */
    private static int coordinateEnd(byte[] b, int from, int to, int maxIntDigits) {
        if (from >= to || !Ascii.isSign(b[from])) {
            return -1;
        }
        int i = from + 1;
        while (i < to && Ascii.isDigit(b[i])) {
            i++;
        }
        int intDigits = i - from - 1;
        if (intDigits < 1 || intDigits > maxIntDigits) {
            return -1;
        }
        if (i < to && b[i] == '.') {
            int fractionStart = ++i;
            while (i < to && Ascii.isDigit(b[i])) {
                i++;
            }
            if (i == fractionStart) {
                return -1;
            }
        }
        return i;
    }

    /** Exact range check on the digits, so {@code +90.0000} is in and {@code +90.0000001} is out. */
    private static boolean inRange(byte[] b, int from, int to, int max) {
        int i = from + 1;
        int whole = 0;
        while (i < to && Ascii.isDigit(b[i])) {
            whole = whole * 10 + (b[i] - '0');
            i++;
        }
        if (whole < max) {
            return true;
        }
        if (whole > max) {
            return false;
        }
        for (i++; i < to; i++) {
            if (b[i] != '0') {
                return false;
            }
        }
        return true;
    }
}
