package dev.herd.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herd.server.config.ConfigException;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import dev.herd.server.config.TopologyFile;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What {@code ./herd} asks of a topology: {@code servers} lists its server names, one a line;
 * {@code addresses} lists each server's name, host and client port, one server a line (the launcher
 * checks them before it starts a herd); {@code status} reads every server's {@code /status} and prints a table. Both take
 * {@code [--config FILE]} (default: the five-server herd). {@code status} exits 0 when every server
 * answers and serves, 1 when one does not, 2 on a bad config.
 */
public final class HerdTool {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    private HerdTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !List.of("servers", "addresses", "status").contains(args[0])) {
            err.println("usage: HerdTool servers|addresses|status [--config FILE]");
            return 2;
        }
        Topology topology;
        try {
            topology = topology(args);
        } catch (ConfigException e) {
            err.println("herd: " + e.getMessage());
            return 2;
        }
        if (args[0].equals("servers")) {
            topology.names().forEach(out::println);
            return 0;
        }
        if (args[0].equals("addresses")) {
            topology.servers().forEach(s -> out.println(s.name() + " " + s.advertise() + " " + s.port()));
            return 0;
        }
        return status(topology, out);
    }

    private static Topology topology(String[] args) throws ConfigException {
        if (args.length == 1) {
            return Topology.defaultHerd();
        }
        if (args.length == 3 && args[1].equals("--config")) {
            return TopologyFile.read(Path.of(args[2]));
        }
        throw new ConfigException("expected [--config FILE], got " + String.join(" ", List.of(args).subList(1, args.length)));
    }

    /** One row of the table: a server's /status, or why there is none. */
    private record Row(ServerSpec server, JsonNode status, String problem) {
    }

    private static int status(Topology topology, PrintStream out) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        List<CompletableFuture<Row>> asked = new ArrayList<>();
        for (ServerSpec server : topology.servers()) {
            asked.add(ask(http, server));
        }
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"SERVER", "STATE", "CLIENTS AT", "RECORDS", "CONNECTIONS", "UPTIME", "LINKS"});
        boolean allServing = true;
        for (CompletableFuture<Row> f : asked) {
            Row row = f.join();
            if (row.status == null) {
                allServing = false;
                table.add(new String[] {row.server.name(), "DOWN", row.server.advertise() + ":" + row.server.port(), "-", "-", "-",
                        row.problem});
                continue;
            }
            JsonNode s = row.status;
            boolean serving = s.path("serving").asBoolean();
            allServing &= serving;
            List<String> links = new ArrayList<>();
            for (JsonNode peer : s.path("peers")) {
                links.add(peer.path("name").asText() + (peer.path("up").asBoolean() ? " up" : " DOWN"));
            }
            table.add(new String[] {row.server.name(), serving ? "serving" : "stopping", s.path("address").asText(),
                    s.path("records").asText(), s.path("connections").path("open").asText(),
                    uptime(s.path("uptimeSeconds").asLong()), String.join(", ", links)});
        }
        print(table, out);
        return allServing ? 0 : 1;
    }

    private static CompletableFuture<Row> ask(HttpClient http, ServerSpec server) {
        if (!server.hasAdmin()) {
            return CompletableFuture.completedFuture(new Row(server, null, "no admin endpoint (admin_port is off)"));
        }
        URI uri = URI.create("http://" + server.adminReachHost() + ":" + server.adminPort() + "/status");
        return http.sendAsync(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> {
                    if (response.statusCode() != 200) {
                        return new Row(server, null, uri + ": HTTP " + response.statusCode());
                    }
                    try {
                        return new Row(server, JSON.readTree(response.body()), null);
                    } catch (IOException e) {
                        return new Row(server, null, uri + ": not JSON");
                    }
                })
                .exceptionally(e -> new Row(server, null, "no answer at " + uri));
    }

    private static String uptime(long seconds) {
        return seconds < 60 ? seconds + "s" : seconds < 3600 ? seconds / 60 + "m" : seconds / 3600 + "h" + (seconds % 3600) / 60 + "m";
    }

    private static void print(List<String[]> table, PrintStream out) {
        int[] widths = new int[table.get(0).length];
        for (String[] row : table) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : table) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (widths[i] + 2) + "s", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
