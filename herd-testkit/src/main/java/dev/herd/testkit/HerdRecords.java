package dev.herd.testkit;

import dev.herd.protocol.Bytes;
import dev.herd.server.HerdServer;
import dev.herd.server.config.Topology;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the running servers of a herd hold, and what a wait that timed out says about it. */
final class HerdRecords {
    private final Topology topology;
    private final Map<String, HerdServer> running;
    private final HerdLinks links;

    HerdRecords(Topology topology, Map<String, HerdServer> running, HerdLinks links) {
        this.topology = topology;
        this.running = running;
        this.links = links;
    }

    /** The AT line {@code server} holds for {@code clientId}; empty if none or the server is not running. */
    Optional<String> record(String server, String clientId) {
        return Optional.ofNullable(running.get(server)).map(s -> s.store().get(Bytes.utf8(clientId)))
                .map(at -> at.line().toString());
    }

    /** Whether every running server holds the same record for {@code clientId}. */
    boolean converged(String clientId) {
        Set<Optional<String>> seen = new HashSet<>();
        running.keySet().forEach(name -> seen.add(record(name, clientId)));
        return seen.size() == 1 && seen.iterator().next().isPresent();
    }

    /** What each server holds for {@code clientId} and which links are down, e.g. "Hill: AT ...; Smith: stopped; every link up". */
    String holdings(String clientId) {
        StringBuilder seen = new StringBuilder();
        for (String name : topology.names()) {
            seen.append(seen.length() == 0 ? "" : "; ").append(name).append(": ");
            seen.append(!running.containsKey(name) ? "stopped" : record(name, clientId).orElse("no record of " + clientId));
        }
        String down = links.down(running);
        return seen.append(down.isEmpty() ? "; every link up" : "; links down: " + down).toString();
    }
}
