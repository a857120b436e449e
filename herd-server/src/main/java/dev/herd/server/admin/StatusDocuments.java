package dev.herd.server.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herd.protocol.Command;
import dev.herd.server.internal.BuildInfo;
import dev.herd.server.metrics.HerdMetrics;
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
            peer.put("reconnects", p.reconnects());
            peer.put("updatesSent", p.sent());
        }
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
