package dev.herd.server.admin;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.herd.protocol.Command;
import dev.herd.server.internal.BuildInfo;
import dev.herd.server.metrics.HerdMetrics;
import dev.herd.server.metrics.PlacesMetrics;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/** {@code /metrics}: one server's counters and gauges in the Prometheus text format. */
final class MetricsExposition {
    private MetricsExposition() {
    }

    static String of(ServerView server) {
        HerdMetrics m = server.metrics();
        PrometheusText out = new PrometheusText();
        out.family("herd_info", "gauge", "This server: always 1, with its name as a label")
                .sample("herd_info", 1, "server", server.name());
        out.family("herd_build_info", "gauge", "This server's build: always 1, with the herd and Java versions as labels")
                .sample("herd_build_info", 1, "version", BuildInfo.version(), "java", BuildInfo.javaVersion());
        out.family("herd_up", "gauge", "1 while the server accepts and answers clients, 0 while it stops")
                .sample("herd_up", server.serving() ? 1 : 0);
        out.family("herd_start_time_seconds", "gauge", "When the server started, in seconds since the epoch")
                .sample("herd_start_time_seconds", m.started().toEpochMilli() / 1000.0);

        out.family("herd_connections_open", "gauge", "TCP connections open now, from clients and peers")
                .sample("herd_connections_open", server.openConnections());
        out.family("herd_connections_total", "counter", "TCP connections accepted since start")
                .sample("herd_connections_total", m.connectionsAccepted());
        out.family("herd_connections_refused_total", "counter", "Connections closed on arrival: the connection limit was reached")
                .sample("herd_connections_refused_total", m.connectionsRefused());

        out.family("herd_lines_total", "counter",
                "Protocol lines received, by command and outcome (invalid: answered with ?, or refused on a peer link)");
        for (Command c : HerdMetrics.COUNTED) {
            out.sample("herd_lines_total", m.lines(c, true), "command", HerdMetrics.label(c), "outcome", "ok");
            out.sample("herd_lines_total", m.lines(c, false), "command", HerdMetrics.label(c), "outcome", "invalid");
        }
        out.family("herd_replies_total", "counter", "Replies written to clients, by kind (at: IAMAT, places: WHATSAT, invalid: ?)");
        for (HerdMetrics.Reply r : HerdMetrics.Reply.values()) {
            out.sample("herd_replies_total", m.replies(r), "kind", r.label);
        }

        out.family("herd_request_duration_seconds", "histogram",
                "Time from a client's IAMAT or WHATSAT line read to its reply ready (IAMAT: flooded, and journaled with a"
                        + " data dir; WHATSAT: Places answered)");
        for (Command c : List.of(Command.IAMAT, Command.WHATSAT)) {
            out.histogram("herd_request_duration_seconds", m.requestDuration(c).snapshot(), "command", c.name());
        }

        out.family("herd_flood_updates_received_total", "counter", "AT updates received from peers")
                .sample("herd_flood_updates_received_total", m.updatesReceived());
        out.family("herd_flood_updates_stale_total", "counter",
                "AT updates received from peers and dropped: not newer than the record held")
                .sample("herd_flood_updates_stale_total", m.updatesStale());
        List<ServerView.PeerState> peers = server.peers();
        perPeer(out, peers, "herd_flood_updates_sent_total", "counter", "AT updates sent to each peer",
                ServerView.PeerState::sent);
        perPeer(out, peers, "herd_flood_updates_overflowed_total", "counter",
                "AT updates dropped for a peer whose link was down and whose queue was full (its next catch-up restores them)",
                ServerView.PeerState::overflowed);
        perPeer(out, peers, "herd_peer_link_sent_bytes_total", "counter", "Bytes of AT update lines sent to each peer",
                ServerView.PeerState::sentBytes);
        Map<String, HerdMetrics.PeerTraffic> received = m.receivedByPeer();
        perPeer(out, peers, "herd_peer_link_received_updates_total", "counter", "AT updates received from each peer (stale ones included)",
                p -> received.containsKey(p.name()) ? received.get(p.name()).updates().sum() : 0);
        perPeer(out, peers, "herd_peer_link_received_bytes_total", "counter", "Bytes of AT update lines received from each peer",
                p -> received.containsKey(p.name()) ? received.get(p.name()).bytes().sum() : 0);
        out.family("herd_flood_propagation_seconds", "histogram",
                "Time from the first server's receipt of an IAMAT to this server keeping its update (from the time in the"
                        + " record: clocks must agree; updates older than an hour, catch-up after an outage, are left out)");
        out.histogram("herd_flood_propagation_seconds", m.propagation().snapshot());
        perPeer(out, peers, "herd_peer_link_up", "gauge", "1 while this server's link to the peer is open, else 0",
                p -> p.up() ? 1 : 0);
        perPeer(out, peers, "herd_peer_link_reconnects_total", "counter",
                "Times this server's link to the peer opened again after being open before",
                ServerView.PeerState::reconnects);

        PlacesMetrics places = m.places();
        out.family("herd_places_requests_total", "counter",
                "WHATSAT queries answered by the Places source, by source and outcome (the answer's status)");
        places.byOutcome().forEach((outcome, count) ->
                out.sample("herd_places_requests_total", count, "source", places.source(), "outcome", outcome));
        out.family("herd_places_request_duration_seconds", "histogram",
                "Time from a WHATSAT's query to the Places source's answer (cached answers included)");
        out.histogram("herd_places_request_duration_seconds", places.latency(), "source", places.source());

        out.family("herd_store_records", "gauge", "Client records held in the location store")
                .sample("herd_store_records", server.records());

        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        out.family("jvm_memory_used_bytes", "gauge", "JVM memory in use (the whole JVM: in-process herds share it)")
                .sample("jvm_memory_used_bytes", heap.getUsed(), "area", "heap");
        out.family("jvm_memory_committed_bytes", "gauge", "JVM memory committed by the operating system")
                .sample("jvm_memory_committed_bytes", heap.getCommitted(), "area", "heap");
        out.family("jvm_memory_max_bytes", "gauge", "The most memory the JVM may use (-1: no limit)")
                .sample("jvm_memory_max_bytes", heap.getMax(), "area", "heap");
        jvm(out);
        return out.text();
    }

    /** The JVM and the process: collections, threads, CPU, file descriptors (the whole JVM's, like the heap). */
    private static void jvm(PrometheusText out) {
        var collectors = ManagementFactory.getGarbageCollectorMXBeans();
        out.family("jvm_gc_collections_total", "counter", "Garbage collections, by collector");
        for (GarbageCollectorMXBean gc : collectors) {
            out.sample("jvm_gc_collections_total", Math.max(0, gc.getCollectionCount()), "gc", gc.getName());
        }
        out.family("jvm_gc_collection_seconds_total", "counter", "Time spent in garbage collections, by collector");
        for (GarbageCollectorMXBean gc : collectors) {
            out.sample("jvm_gc_collection_seconds_total", Math.max(0, gc.getCollectionTime()) / 1000.0, "gc", gc.getName());
        }
        out.family("jvm_threads_current", "gauge", "Live JVM threads")
                .sample("jvm_threads_current", ManagementFactory.getThreadMXBean().getThreadCount());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            out.family("process_cpu_seconds_total", "counter", "CPU time the process used")
                    .sample("process_cpu_seconds_total", os.getProcessCpuTime() / 1e9);
            out.family("process_open_fds", "gauge", "File descriptors the process holds (each connection is one)")
                    .sample("process_open_fds", os.getOpenFileDescriptorCount());
            out.family("process_max_fds", "gauge", "The most file descriptors the process may hold")
                    .sample("process_max_fds", os.getMaxFileDescriptorCount());
        }
    }

    private static void perPeer(PrometheusText out, List<ServerView.PeerState> peers, String name, String type,
                                String help, ToLongFunction<ServerView.PeerState> value) {
        out.family(name, type, help);
        for (ServerView.PeerState p : peers) {
            out.sample(name, value.applyAsLong(p), "peer", p.name());
        }
    }
}
