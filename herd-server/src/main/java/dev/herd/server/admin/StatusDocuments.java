package dev.herd.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herd.protocol.Command;
import dev.herd.server.internal.BuildInfo;
import dev.herd.server.metrics.HerdMetrics;
import dev.herd.server.metrics.LatencyHistogram;
import dev.herd.server.metrics.RecentUpdates;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The JSON bodies of {@code /health} and {@code /status}. */
final class StatusDocuments {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private StatusDocuments() {
    }

    /**
     * {@code {"server": ..., "status": "serving"|"failing"|"stopping", "problems": [...], "peers": {"Jaquez": "up", ...}}}.
     */
    static ObjectNode health(ServerView server) {
        ObjectNode health = JSON.objectNode();
        health.put("server", server.name());
        List<String> problems = server.problems();
        health.put("status", !server.serving() ? "stopping" : problems.isEmpty() ? "serving" : "failing");
        problems.forEach(health.putArray("problems")::add);
        ObjectNode peers = health.putObject("peers");
        for (ServerView.PeerState p : server.peers()) {
            peers.put(p.name(), p.up() ? "up" : "down");
        }
        return health;
    }

    private static void cumulative(ObjectNode latency, String command, LatencyHistogram.Snapshot h) {
        ArrayNode counts = latency.putArray(command);
        for (long c : h.cumulative()) {
            counts.add(c);
        }
        counts.add(h.count()); // +Inf
    }

    /**
     * {@code /records?client=A&client=B}: {@code {"records": {"A": {"server": ..., "time": ...}, "B": null}}},
     * what this server holds for each client asked about (at most {@link #MAX_CLIENTS}): the status page
     * shows which servers hold an update from the stores themselves.
     */
    static ObjectNode records(ServerView server, List<String> clients) {
        ObjectNode answer = JSON.objectNode();
        ObjectNode records = answer.putObject("records");
        for (String client : clients.subList(0, Math.min(clients.size(), MAX_CLIENTS))) {
            server.record(client).ifPresentOrElse(at -> {
                ObjectNode r = records.putObject(client);
                r.put("server", at.server());
                r.put("time", at.time().text());
                r.put("location", at.location().text());
            }, () -> records.putNull(client));
        }
        return answer;
    }

    /** The most clients one {@code /records} request asks about. */
    static final int MAX_CLIENTS = 50;

    static ObjectNode status(ServerView server) {
        HerdMetrics m = server.metrics();
        ObjectNode status = JSON.objectNode();
        status.put("server", server.name());
        status.put("address", server.address());
        status.put("version", BuildInfo.version());
        status.put("serving", server.serving());
        status.put("startedAt", m.started().toString());
        status.put("uptimeSeconds", Duration.between(m.started(), Instant.now()).toSeconds());
        status.put("records", server.records());
        status.put("dissemination", server.dissemination());
        ObjectNode connections = status.putObject("connections");
        connections.put("open", server.openConnections());
        connections.put("total", m.connectionsAccepted());
        ObjectNode counts = status.putObject("counts");
        long ok = 0;
        long invalid = 0;
        for (Command c : HerdMetrics.COUNTED) {
            ok += m.lines(c, true);
            invalid += m.lines(c, false);
        }
        counts.put("lines", ok + invalid);
        counts.put("invalidLines", invalid);
        counts.put("iamat", m.lines(Command.IAMAT, true));
        counts.put("whatsat", m.lines(Command.WHATSAT, true));
        counts.put("updatesReceived", m.updatesReceived());
        counts.put("updatesStale", m.updatesStale());
        counts.put("updatesSent", server.peers().stream().mapToLong(ServerView.PeerState::sent).sum());
        counts.put("placesRequests", m.places().requests());
        ArrayNode peers = status.putArray("peers");
        for (ServerView.PeerState p : server.peers()) {
            ObjectNode peer = peers.addObject();
            peer.put("name", p.name());
            peer.put("up", p.up());
            if (p.treeLink() != null) {
                peer.put("treeLink", p.treeLink());
            }
            peer.put("reconnects", p.reconnects());
            peer.put("updatesSent", p.sent());
            peer.put("bytesSent", p.sentBytes());
            HerdMetrics.PeerTraffic in = m.receivedByPeer().get(p.name());
            peer.put("updatesReceived", in == null ? 0 : in.updates().sum());
            peer.put("bytesReceived", in == null ? 0 : in.bytes().sum());
        }
        // Request latency as cumulative bucket counts: the status page works out each second's p99
        // from the difference between two readings.
        ObjectNode latency = status.putObject("latency");
        LatencyHistogram.Snapshot iamat = m.requestDuration(Command.IAMAT).snapshot();
        ArrayNode bounds = latency.putArray("boundsSeconds");
        for (double b : iamat.bounds()) {
            bounds.add(b);
        }
        cumulative(latency, "IAMAT", iamat);
        cumulative(latency, "WHATSAT", m.requestDuration(Command.WHATSAT).snapshot());
        ArrayNode herd = status.putArray("herd");
        for (ServerView.Member member : server.herd()) {
            ObjectNode node = herd.addObject();
            node.put("name", member.name());
            node.put("admin", member.admin());
            ArrayNode links = node.putArray("peers");
            member.peers().forEach(links::add);
        }
        ArrayNode recent = status.putArray("recentUpdates");
        for (RecentUpdates.Update u : m.recent().newestFirst()) {
            ObjectNode update = recent.addObject();
            update.put("client", u.record().clientId().toString());
            update.put("server", u.record().server());
            update.put("from", u.from() == null ? "client" : u.from());
            update.put("location", u.record().location().text());
            update.put("time", u.record().time().text());
            update.put("storedAt", Instant.ofEpochMilli(m.recent().storedAtMillis(u)).toString());
        }
        return status;
    }
}
