package dev.herd.protocol;

import java.math.BigDecimal;

/**
 * A WHATSAT radius in kilometres, {@code 0 < r <= 50}, kept exact so that the metres sent to Places
 * carry no floating-point error ({@code 1.5} km is {@code 1500} m, never {@code 1499.9999}).
 */
public record Radius(String text, BigDecimal kilometres) {
    public static final BigDecimal MAX_KILOMETRES = BigDecimal.valueOf(50);

    /**
     * Parses a plain decimal number: digits with an optional point ({@code 10}, {@code 1.5}, {@code .5},
     * {@code 5.}); no sign, no exponent.
     *
     * @return the radius, or {@code null} when the bytes are not such a number or not in (0, 50]
     */
    public static Radius parse(byte[] b, int from, int to) {
        int digits = 0;
        int points = 0;
        for (int i = from; i < to; i++) {
            if (Ascii.isDigit(b[i])) {
                digits++;
            } else if (b[i] == '.') {
                points++;
            } else {
                return null;
            }
        }
        if (digits == 0 || points > 1) {
            return null;
        }
        String text = Ascii.string(b, from, to);
        BigDecimal km = new BigDecimal(text.endsWith(".") ? text + "0" : text);
        if (km.signum() <= 0 || km.compareTo(MAX_KILOMETRES) > 0) {
            return null;
        }
        return new Radius(text, km);
    }

    public static Radius parse(String text) {
        byte[] b = Ascii.bytes(text);
        return parse(b, 0, b.length);
    }

    /** The radius in metres as plain decimal text: {@code 10} becomes {@code 10000}, {@code 0.0015} becomes {@code 1.5}. */
    public String metresText() {
        return kilometres.movePointRight(3).stripTrailingZeros().toPlainString();
    }

    public double metres() {
        return kilometres.movePointRight(3).doubleValue();
    }
}
