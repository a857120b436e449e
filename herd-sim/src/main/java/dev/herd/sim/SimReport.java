package dev.herd.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one run measured. Link figures count update messages (AT lines between servers, catch-up and
 * repairs included) and, in tree mode, the notices of them and the asks for them (tree lines), not the
 * links' greetings, probes and store comparisons.
 *
 * @param spreadMillis for each update that reached every running server, the time from the first server
 *                     keeping it to the last, sorted
 */
record SimReport(SimOptions options, int servers, int links, double startSeconds, double workloadSeconds, int refused,
                 long linkMessages, long linkBytes, long treeLines, long treeLineBytes, long wants,
                 long duplicates, double[] spreadMillis, int reachedAll,
                 long missing, int lost, double settleSeconds, boolean settled, long[] receivedPerServer, String busiest, Path logs) {

    static SimReport measure(SimOptions options, Graph graph, UpdateTracker tracker, boolean[] running,
                             Workload workload, double startSeconds,
                             double settleSeconds, boolean settled, Path logs) {
        int n = graph.size();
        long messages = 0;
        long bytes = 0;
        long duplicates = 0;
        long treeLines = 0;
        long treeLineBytes = 0;
        long[] received = new long[n];
        int busiest = 0;
        for (int s = 0; s < n; s++) {
            received[s] = tracker.received(s);
            messages += received[s];
            bytes += tracker.bytes(s);
            duplicates += tracker.duplicates(s);
            treeLines += tracker.treeLines(s);
            treeLineBytes += tracker.treeLineBytes(s);
            if (received[s] > received[busiest]) {
                busiest = s;
            }
        }
        int runningCount = 0;
        for (boolean r : running) {
            runningCount += r ? 1 : 0;
        }
        double[] spreads = new double[tracker.updates()];
        int reached = 0;
        long missing = 0;
        int lost = 0;
        for (int u = 0; u < tracker.updates(); u++) {
            int holders = tracker.holders(u, running);
            if (holders == 0) {
                lost++;
                continue;
            }
            missing += runningCount - holders;
            if (holders == runningCount) {
                long first = Long.MAX_VALUE;
                long last = Long.MIN_VALUE;
                for (int s = 0; s < n; s++) {
                    if (running[s]) {
                        first = Math.min(first, tracker.arrival(u, s));
                        last = Math.max(last, tracker.arrival(u, s));
                    }
                }
                spreads[reached++] = (last - first) / 1e6;
            }
        }
        double[] sorted = Arrays.copyOf(spreads, reached);
        Arrays.sort(sorted);
        return new SimReport(options, n, graph.links().size(), startSeconds, workload.seconds, workload.refused, messages,
                bytes, treeLines, treeLineBytes, tracker.wants(), duplicates, sorted, reached,
                missing, lost, settleSeconds, settled, received, graph.name(busiest), logs);
    }

    double perUpdate(long total) {
        return (double) total / options.updates();
    }

    double spreadPercentile(double p) {
        if (spreadMillis.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * spreadMillis.length) - 1;
        return spreadMillis[Math.max(0, Math.min(spreadMillis.length - 1, rank))];
    }

    boolean allArrived() {
        return reachedAll == options.updates();
    }

    String text() {
        long min = Arrays.stream(receivedPerServer).min().orElse(0);
        long max = Arrays.stream(receivedPerServer).max().orElse(0);
        double mean = Arrays.stream(receivedPerServer).average().orElse(0);
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "herd simulate: %d servers, topology %s, %s, seed %d, %d links (%s)%n", servers,
                options.topology(), options.dissemination().spelling(), options.seed(), links, faultsText()));
        out.append(String.format(Locale.ROOT, "  started      %.1f s (every link up)%n", startSeconds));
        out.append(String.format(Locale.ROOT, "  workload     %d updates in %.1f s (%.0f/s asked, %.0f/s sent), %d refused%n",
                options.updates(), workloadSeconds, options.rate(), options.updates() / workloadSeconds, refused));
        out.append(String.format(Locale.ROOT, "  messages     %.1f per update on the links (optimum %d), %.1f of them duplicates%n",
                perUpdate(linkMessages), servers - 1, perUpdate(duplicates)));
        out.append(String.format(Locale.ROOT, "  bytes        %.0f per update on the links%s%n", perUpdate(linkBytes + treeLineBytes),
                treeLines == 0 ? "" : String.format(Locale.ROOT, ": %.0f of updates, %.0f of tree lines (%.1f lines per update)",
                        perUpdate(linkBytes), perUpdate(treeLineBytes), perUpdate(treeLines))));
        if (treeLines > 0) {
            out.append(String.format(Locale.ROOT, "  asked for    %d updates (IWANT after a notice; %.2f per update)%n", wants,
                    perUpdate(wants)));
        }
        out.append(String.format(Locale.ROOT, "  reach all    p50 %.2f ms  p99 %.2f ms  max %.2f ms  (first server to last, %d updates)%n",
                spreadPercentile(50), spreadPercentile(99), spreadPercentile(100), reachedAll));
        out.append(String.format(Locale.ROOT, "  not arrived  %d updates missing somewhere (%d server-updates) after %s%.1f s of settling%n",
                options.updates() - reachedAll - lost, missing, settled ? "" : "the full ", settleSeconds));
        if (options.kill() > 0) {
            out.append(String.format(Locale.ROOT, "  lost         %d updates no server holds any more%s%n", lost,
                    options.journal() ? " (every server keeps a journal)" : " (a killed server starts empty without --journal)"));
        }
        out.append(String.format(Locale.ROOT, "  per server   update messages received: min %d, mean %.0f, max %d (%s)%n",
                min, mean, max, busiest));
        out.append("  logs         ").append(allArrived() && !options.keepLogs() ? "deleted (everything arrived; --keep-logs keeps them)"
                : logs.toString()).append(System.lineSeparator());
        return out.toString();
    }

    private String faultsText() {
        StringBuilder f = new StringBuilder();
        if (!options.delay().isZero()) {
            f.append("delay ").append(options.delay().toMillis()).append(" ms, ");
        }
        if (options.loss() > 0) {
            f.append("loss ").append(options.loss()).append(", ");
        }
        if (options.cutFraction() > 0) {
            f.append(String.format(Locale.ROOT, "%.0f%% of links cut %.1f-%.1f s, ", options.cutFraction() * 100,
                    options.cutAt().toMillis() / 1e3, options.healAt().toMillis() / 1e3));
        }
        if (options.kill() > 0) {
            f.append(String.format(Locale.ROOT, "%d killed %.1f-%.1f s, ", options.kill(), options.killAt().toMillis() / 1e3,
                    options.restartAt().toMillis() / 1e3));
        }
        return f.length() == 0 ? "no faults" : f.substring(0, f.length() - 2);
    }

    String json() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("servers", servers);
        out.put("topology", options.topology());
        out.put("dissemination", options.dissemination().spelling());
        out.put("seed", options.seed());
        out.put("links", links);
        out.put("updates", options.updates());
        out.put("rate_asked", options.rate());
        out.put("workload_seconds", workloadSeconds);
        out.put("refused", refused);
        out.put("delay_ms", options.delay().toMillis());
        out.put("loss", options.loss());
        out.put("cut_fraction", options.cutFraction());
        out.put("killed", options.kill());
        out.put("link_messages_per_update", perUpdate(linkMessages));
        out.put("optimum_messages_per_update", servers - 1);
        out.put("duplicates_per_update", perUpdate(duplicates));
        out.put("link_bytes_per_update", perUpdate(linkBytes + treeLineBytes));
        out.put("update_bytes_per_update", perUpdate(linkBytes));
        out.put("tree_line_bytes_per_update", perUpdate(treeLineBytes));
        out.put("tree_lines_per_update", perUpdate(treeLines));
        out.put("wants", wants);
        out.put("reach_all_ms", Map.of("p50", spreadPercentile(50), "p99", spreadPercentile(99), "max", spreadPercentile(100)));
        out.put("updates_reaching_all", reachedAll);
        out.put("server_updates_missing", missing);
        out.put("updates_lost", lost);
        out.put("journal", options.journal());
        out.put("settle_seconds", settleSeconds);
        out.put("received_per_server", receivedPerServer);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report as JSON: " + e.getMessage(), e);
        }
    }
}
