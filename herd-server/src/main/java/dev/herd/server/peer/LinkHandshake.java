package dev.herd.server.peer;

import dev.herd.protocol.Challenge;
import dev.herd.protocol.PeerGreeting;
import dev.herd.protocol.Proof;
import dev.herd.server.config.HerdSecret;
import dev.herd.server.log.ServerLog;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The connecting side of a peer link's handshake: the greeting, and with a herd secret the proofs both
 * ways ({@link InboundPeerHandler} is the accepting side). Nothing is sent until the peer has proved the
 * secret too: a stranger listening on a down peer's port could take a proof from anyone, and must not
 * get a record for it. Confined to the link's loop.
 */
final class LinkHandshake {
    private static final ServerLog LOG = ServerLog.of(LinkHandshake.class);
    private static final long CHALLENGE_TIMEOUT_MILLIS = 5000;

    private final PeerGreeting greeting;
    private final String peer;
    private final @Nullable HerdSecret secret;
    private final EventLoop loop;
    /** The challenge this link sent the peer, while its proof is awaited. */
    private @Nullable String ourNonce;

    LinkHandshake(PeerGreeting greeting, String peer, @Nullable HerdSecret secret, EventLoop loop) {
        this.greeting = greeting;
        this.peer = peer;
        this.secret = secret;
        this.loop = loop;
    }

    /**
     * Writes the greeting on a new channel (unflushed). Returns whether the link is open at once (no
     * secret); otherwise the peer's challenge must come within a timeout while {@code stillOpening}
     * holds for the channel, or it is closed.
     */
    boolean greet(Channel ch, Predicate<Channel> stillOpening) {
        ourNonce = null;
        // The greeting goes first, before any update: the connect future completes before the
        // pipeline sees channelActive, so it is written here rather than by a handler.
        ch.write(greeting, ch.voidPromise());
        if (secret == null) {
            return true;
        }
        loop.schedule(() -> {
            if (stillOpening.test(ch) && ch.isActive()) {
                LOG.warn("peer link to {}: no challenge within {} ms (is the herd secret set on {} too?); closing",
                        peer, CHALLENGE_TIMEOUT_MILLIS, peer);
                ch.close();
            }
        }, CHALLENGE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        return false;
    }

    /** The peer challenged this link: answer with the proof, and challenge it in turn. */
    void onChallenge(Channel ch, String nonce) {
        if (ourNonce != null) {
            return;
        }
        if (secret == null) {
            LOG.warn("peer link to {}: the peer asks for the herd secret, which this server does not have; closing", peer);
            ch.close();
            return;
        }
        String ours = secret.newNonce();
        ourNonce = ours;
        ch.write(Proof.of(secret.proof(greeting.server(), peer, nonce)), ch.voidPromise());
        ch.writeAndFlush(Challenge.of(ours), ch.voidPromise());
    }

    /** The peer answered this link's challenge; returns whether it proved the secret (else the channel is closed). */
    boolean onProof(Channel ch, String mac) {
        String ours = ourNonce;
        if (ours == null || secret == null) {
            return false;
        }
        ourNonce = null;
        if (!secret.verify(peer, greeting.server(), ours, mac)) {
            LOG.warn("peer link to {} at {}: the peer's proof of the herd secret is wrong (a different secret, or not"
                    + " {} at all); closing without sending anything", peer, ch.remoteAddress(), peer);
            ch.close();
            return false;
        }
        LOG.info("peer link to {}: both sides proved the herd secret", peer);
        return true;
    }
}
