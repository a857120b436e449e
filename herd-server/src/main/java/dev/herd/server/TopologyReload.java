package dev.herd.server;

import dev.herd.server.config.ConfigException;
import dev.herd.server.config.HerdConfig;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.peer.Flooder;

/**
 * What a running server takes from a reloaded config: its topology (peers added, removed or moved
 * elsewhere). Its own name and addresses, and every other setting, apply at its next start.
 */
final class TopologyReload {
    private TopologyReload() {
    }

    /** Refuses a config that cannot apply to the server running {@code running}, naming why. */
    static void check(HerdConfig running, HerdConfig next) throws ConfigException {
        if (!next.name().equals(running.name())) {
            throw new ConfigException("the reloaded config is for " + next.name() + ", not " + running.name());
        }
        ServerSpec was = running.self();
        ServerSpec is = next.self();
        if (!was.host().equals(is.host()) || was.port() != is.port() || was.peerPort() != is.peerPort()
                || was.adminPort() != is.adminPort()) {
            throw new ConfigException(running.name() + "'s own host or ports changed in the reloaded config: that needs a restart");
        }
    }

    /** One line for the log: the peers now, what changed, and whether settings other than the topology wait for a restart. */
    static String describe(HerdConfig before, HerdConfig next, Flooder.Change change) {
        StringBuilder line = new StringBuilder(next.name()).append(": topology reloaded; peers ").append(next.self().peers());
        if (change.added().isEmpty() && change.removed().isEmpty()) {
            line.append(" (unchanged)");
        }
        if (!change.added().isEmpty()) {
            line.append("; linking to ").append(change.added());
        }
        if (!change.removed().isEmpty()) {
            line.append("; links to ").append(change.removed()).append(" closed");
        }
        // The config's own description lists every setting but the topology (a secret only as set or not).
        if (!before.toString().equals(next.toString())) {
            line.append("; other settings changed too: they apply at the next start");
        }
        return line.toString();
    }
}
