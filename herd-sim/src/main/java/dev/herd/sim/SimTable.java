package dev.herd.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tables and charts from saved runs: {@code java -cp herd-sim.jar dev.herd.sim.SimTable [--charts DIR]
 * RUN.json ...} prints a Markdown table of the runs (as {@code ./herd simulate --format json --output}
 * wrote them) and, with {@code --charts}, draws messages per update against the optimum and the p99
 * time to reach every server, per topology and herd size. docs/SCALE.md is made with it.
 */
public final class SimTable {
    private SimTable() {
    }

    public static void main(String[] args) throws IOException {
        Path charts = null;
        List<JsonNode> runs = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--charts") && i + 1 < args.length) {
                charts = Path.of(args[++i]);
            } else {
                runs.add(json.readTree(Path.of(args[i]).toFile()));
            }
        }
        if (runs.isEmpty()) {
            System.err.println("usage: SimTable [--charts DIR] RUN.json ...");
            System.exit(2);
        }
        runs.sort(Comparator.comparingInt((JsonNode r) -> r.get("servers").asInt()).thenComparing(r -> r.get("topology").asText()));
        System.out.print(markdown(runs));
        if (charts != null) {
            Map<String, Map<Integer, Double>> ratio = new LinkedHashMap<>();
            Map<String, Map<Integer, Double>> p99 = new LinkedHashMap<>();
            for (JsonNode r : runs) {
                String shape = r.get("topology").asText().replaceAll("^random-regular:\\d+$", "random-regular:K");
                int n = r.get("servers").asInt();
                ratio.computeIfAbsent(shape, k -> new TreeMap<>()).put(n,
                        r.get("link_messages_per_update").asDouble() / r.get("optimum_messages_per_update").asDouble());
                p99.computeIfAbsent(shape, k -> new TreeMap<>()).put(n, r.get("reach_all_ms").get("p99").asDouble());
            }
            int sizes = ratio.values().stream().mapToInt(Map::size).max().orElse(0);
            ratio.values().removeIf(v -> v.size() < sizes); // a shape run at only some sizes (default) is in the table, not the chart
            p99.keySet().retainAll(ratio.keySet());
            SimCharts.ofTable("Flooding: update messages per update / the optimum (N - 1)", "times the optimum", ratio,
                    charts.resolve("flood-messages.png"));
            SimCharts.ofTable("Flooding: p99 time for an update to reach every server", "ms", p99, charts.resolve("flood-reach-p99.png"));
        }
    }

    static String markdown(List<JsonNode> runs) {
        StringBuilder out = new StringBuilder();
        out.append("| servers | topology | mode | links | faults | updates | messages / update | optimum | duplicates / update"
                + " | bytes / update | reach all p50 / p99 / max (ms) | missing |\n");
        out.append("|---:|---|---|---:|---|---:|---:|---:|---:|---:|---|---:|\n");
        for (JsonNode r : runs) {
            JsonNode reach = r.get("reach_all_ms");
            out.append(String.format(Locale.ROOT, "| %d | %s | %s | %d | %s | %d | %.1f | %d | %.1f | %.0f | %.1f / %.1f / %.1f | %d |%n",
                    r.get("servers").asInt(), r.get("topology").asText(), r.path("dissemination").asText("flood"),
                    r.get("links").asInt(), faults(r),
                    r.get("updates").asInt(), r.get("link_messages_per_update").asDouble(),
                    r.get("optimum_messages_per_update").asInt(), r.get("duplicates_per_update").asDouble(),
                    r.get("link_bytes_per_update").asDouble(), reach.get("p50").asDouble(), reach.get("p99").asDouble(),
                    reach.get("max").asDouble(), r.get("server_updates_missing").asLong()));
        }
        return out.toString();
    }

    private static String faults(JsonNode r) {
        List<String> faults = new ArrayList<>();
        if (r.get("cut_fraction").asDouble() > 0) {
            faults.add(String.format(Locale.ROOT, "%.0f%% cut", r.get("cut_fraction").asDouble() * 100));
        }
        if (r.get("loss").asDouble() > 0) {
            faults.add("loss " + r.get("loss").asDouble());
        }
        if (r.get("delay_ms").asLong() > 0) {
            faults.add(r.get("delay_ms").asLong() + " ms delay");
        }
        if (r.get("killed").asInt() > 0) {
            faults.add(r.get("killed").asInt() + " killed");
        }
        return faults.isEmpty() ? "none" : String.join(", ", faults);
    }
}
