package dev.herd.testkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4), for tests: it refuses what a
 * Prometheus server would refuse (bad names, bad escapes, a TYPE after samples, a family split in
 * two, a series twice, histogram buckets that are not cumulative or lack +Inf) and then answers
 * lookups of one series' value.
 */
final class PrometheusScrape {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** Series (name plus sorted labels) to value. */
    private final Map<String, Double> series = new LinkedHashMap<>();
    private final Map<String, String> types = new HashMap<>();

    private PrometheusScrape() {
    }

    static PrometheusScrape parse(String text) {
        PrometheusScrape scrape = new PrometheusScrape();
        scrape.read(text);
        return scrape;
    }

    /** The value of the series {@code name{labels}}; labels alternate names and values. */
    double value(String name, String... labels) {
        Map<String, String> wanted = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        Double v = series.get(key(name, wanted));
        if (v == null) {
            throw new AssertionError("no series " + key(name, wanted) + " in the scrape; it has " + series.keySet());
        }
        return v;
    }

    String type(String family) {
        return types.get(family);
    }

    private void read(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new AssertionError("the exposition must end with a line feed");
        }
        Set<String> closed = new HashSet<>();
        Map<String, List<double[]>> buckets = new HashMap<>();
        Map<String, Double> counts = new HashMap<>();
        String current = null;
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            String family;
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    family = parts[2];
                    check(NAME.matcher(family).matches(), n, "bad metric name " + family);
                    if (parts[1].equals("TYPE")) {
                        check(parts.length == 4 && TYPES.contains(parts[3]), n, "bad TYPE line: " + line);
                        check(!types.containsKey(family), n, "second TYPE for " + family);
                        check(series.keySet().stream().noneMatch(s -> familyOf(s).equals(family)), n,
                                "TYPE of " + family + " after its samples");
                        types.put(family, parts[3]);
                    } else if (parts.length == 4) {
                        checkHelpEscapes(parts[3], n);
                    }
                } else {
                    continue; // another comment
                }
            } else {
                family = sample(line, n, buckets, counts);
            }
            if (!family.equals(current)) {
                check(!closed.contains(family), n, "family " + family + " is split: its lines are not together");
                if (current != null) {
                    closed.add(current);
                }
                current = family;
            }
        }
        buckets.forEach((histogram, list) -> {
            double previous = 0;
            boolean inf = false;
            for (double[] b : list) {
                if (b[1] < previous) {
                    throw new AssertionError(histogram + ": bucket le=" + b[0] + " is below the bucket before it");
                }
                previous = b[1];
                inf |= Double.isInfinite(b[0]);
            }
            if (!inf) {
                throw new AssertionError(histogram + ": no le=\"+Inf\" bucket");
            }
            Double count = counts.get(histogram);
            if (count == null || count != previous) {
                throw new AssertionError(histogram + ": _count " + count + " is not the +Inf bucket " + previous);
            }
        });
    }

    /** Reads one sample line; returns its family. */
    private String sample(String line, int n, Map<String, List<double[]>> buckets, Map<String, Double> counts) {
        Matcher name = NAME.matcher(line);
        check(name.lookingAt(), n, "no metric name: " + line);
        String metric = name.group();
        int i = name.end();
        Map<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                Matcher labelName = LABEL_NAME.matcher(line).region(i, line.length());
                check(labelName.lookingAt(), n, "bad label name at column " + i);
                String label = labelName.group();
                i = labelName.end();
                check(line.startsWith("=\"", i), n, "expected =\" after label " + label);
                i += 2;
                StringBuilder value = new StringBuilder();
                while (true) {
                    check(i < line.length(), n, "unterminated label value");
                    char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        check(i < line.length(), n, "unterminated escape");
                        char e = line.charAt(i++);
                        switch (e) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new AssertionError("line " + n + ": bad escape \\" + e);
                        }
                    } else {
                        value.append(c);
                    }
                }
                check(labels.put(label, value.toString()) == null, n, "label " + label + " twice");
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        check(i < line.length() && line.charAt(i) == ' ', n, "expected a space before the value: " + line);
        String[] rest = line.substring(i + 1).split(" ");
        check(rest.length == 1 || rest.length == 2, n, "expected a value and an optional timestamp: " + line);
        double value = number(rest[0], n);
        String key = key(metric, labels);
        check(series.put(key, value) == null, n, "series " + key + " twice");
        String family = metric;
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            String base = metric.endsWith(suffix) ? metric.substring(0, metric.length() - suffix.length()) : null;
            if (base != null && "histogram".equals(types.get(base))) {
                family = base;
                Map<String, String> others = new TreeMap<>(labels);
                String le = others.remove("le");
                String histogram = key(base, others);
                if (suffix.equals("_bucket")) {
                    check(le != null, n, "a bucket without le");
                    buckets.computeIfAbsent(histogram, h -> new ArrayList<>()).add(new double[] {number(le, n), value});
                } else if (suffix.equals("_count")) {
                    counts.put(histogram, value);
                }
            }
        }
        if ("counter".equals(types.get(family))) {
            check(value >= 0, n, "a counter below zero: " + line);
        }
        return family;
    }

    private static double number(String text, int n) {
        switch (text) {
            case "+Inf", "Inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-Inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "NaN" -> {
                return Double.NaN;
            }
            default -> {
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new AssertionError("line " + n + ": not a number: " + text);
                }
            }
        }
    }

    private static void checkHelpEscapes(String help, int n) {
        for (int i = 0; i < help.length(); i++) {
            if (help.charAt(i) == '\\') {
                check(i + 1 < help.length() && (help.charAt(i + 1) == '\\' || help.charAt(i + 1) == 'n'), n,
                        "bad escape in HELP");
                i++;
            }
        }
    }

    private static String familyOf(String key) {
        int brace = key.indexOf('{');
        return brace < 0 ? key : key.substring(0, brace);
    }

    private static String key(String name, Map<String, String> labels) {
        return labels.isEmpty() ? name : name + labels;
    }

    private static void check(boolean ok, int line, String problem) {
        if (!ok) {
            throw new AssertionError("line " + line + ": " + problem);
        }
    }
}
