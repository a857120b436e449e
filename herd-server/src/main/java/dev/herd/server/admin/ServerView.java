package dev.herd.server.admin;

import dev.herd.protocol.At;
import dev.herd.server.metrics.HerdMetrics;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Optional;

/** What the admin endpoint reads of its server, at the moment it asks. Any thread. */
public interface ServerView {
    String name();

    /** Where clients connect, host:port. */
    String address();

    /** Whether the server accepts and answers clients (false once it is stopping). */
    boolean serving();

    HerdMetrics metrics();

    /** Records in the store. */
    int records();

    int openConnections();

    /**
     * What keeps this server from doing its job in full now (the journal cannot be written, say), one
     * sentence each; empty when healthy. Any of them makes {@code /health} answer 503.
     */
    default List<String> problems() {
        return List.of();
    }

    /** The AT record this server holds for {@code clientId} (UTF-8), or empty. */
    Optional<At> record(String clientId);

    /** This server's links to its peers. */
    List<PeerState> peers();

    /** How updates spread, as the config file spells the setting (this package does not read the config). */
    String dissemination();

    /** Every server of the herd, this one included, with where its admin endpoint is. */
    List<Member> herd();

    /**
     * This server's link to one peer.
     *
     * @param reconnects times the link opened again after it had been open
     * @param sent       updates sent on it
     * @param sentBytes  their bytes as lines
     * @param overflowed updates dropped while the link was down and its queue full
     * @param treeLink   in tree mode, whether updates go whole on this link (else as notices); null when flooding
     */
    record PeerState(String name, boolean up, long reconnects, long sent, long sentBytes, long overflowed, @Nullable Boolean treeLink) {
    }

    /** A server of the herd: its name, its admin URL ({@code null} when it has none) and its peers. */
    record Member(String name, String admin, List<String> peers) {
    }
}
