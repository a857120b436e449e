package dev.herd.server.admin;

import dev.herd.server.metrics.LatencyHistogram;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Writes the Prometheus text exposition format (version 0.0.4): a {@code # HELP} and {@code # TYPE}
 * line per metric family, then its samples, label values escaped as the format requires.
 */
final class PrometheusText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(8192);

    PrometheusText family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        out.append("\n# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample; {@code labels} alternate names and values. */
    PrometheusText sample(String name, long value, String... labels) {
        start(name, labels).append(value).append('\n');
        return this;
    }

    PrometheusText sample(String name, double value, String... labels) {
        start(name, labels).append(number(value)).append('\n');
        return this;
    }

    private StringBuilder start(String name, String... labels) {
        out.append(name);
        if (labels.length > 0) {
            out.append('{');
            for (int i = 0; i < labels.length; i += 2) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(labels[i]).append("=\"");
                escapeLabelValue(labels[i + 1]);
                out.append('"');
            }
            out.append('}');
        }
        return out.append(' ');
    }

    private void escapeLabelValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    /** A float as the format spells it: {@code +Inf}, {@code -Inf}, {@code NaN}, or the shortest digits, no exponent. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString(); // 0.0001, not 0.00010 (from 1.0E-4)
    }

    String text() {
        return out.toString();
    }

    /** A histogram's samples: the cumulative buckets (with +Inf), the sum and the count. */
    PrometheusText histogram(String name, LatencyHistogram.Snapshot h, String... labels) {
        String[] withLe = Arrays.copyOf(labels, labels.length + 2);
        withLe[labels.length] = "le";
        for (int i = 0; i < h.bounds().length; i++) {
            withLe[labels.length + 1] = number(h.bounds()[i]);
            sample(name + "_bucket", h.cumulative()[i], withLe);
        }
        withLe[labels.length + 1] = "+Inf";
        sample(name + "_bucket", h.count(), withLe);
        sample(name + "_sum", h.sumSeconds(), labels);
        return sample(name + "_count", h.count(), labels);
    }
}
