package dev.herd.server.config;

import java.util.List;

/** Where one server of the herd listens, and which servers it links to. */
public record ServerSpec(String name, String host, int port, List<String> peers) {
    public ServerSpec {
        peers = List.copyOf(peers);
    }

    public ServerSpec withPort(int newPort) {
        return new ServerSpec(name, host, newPort, peers);
    }
}
