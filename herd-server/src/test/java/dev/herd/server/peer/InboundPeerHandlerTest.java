package dev.herd.server.peer;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.protocol.MessageParser;
import dev.herd.protocol.codec.HerdCodec;
import dev.herd.server.config.HerdSecret;
import dev.herd.server.log.ProtocolLog;
import dev.herd.server.metrics.HerdMetrics;
import dev.herd.server.store.LocationStore;
import dev.herd.server.store.UpdateListener;
import dev.herd.server.store.Updates;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateHandler;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.herd.server.EmbeddedLines.buf;
import static dev.herd.server.EmbeddedLines.output;
import static org.assertj.core.api.Assertions.assertThat;

class InboundPeerHandlerTest {
    private static final String AT_HILL = "AT Hill +0.263873497 kiwi.cs.ucla.edu +34.068930-118.445127 1621464827.959498503";
    private static final HerdSecret SECRET = new HerdSecret("s3cret-s3cret-s3cret".getBytes(StandardCharsets.UTF_8));

    private final LocationStore store = new LocationStore();
    private final RecordingPeers peers = new RecordingPeers(Set.of("Jaquez", "Smith"));

    private EmbeddedChannel channel(HerdSecret secret) {
        EmbeddedChannel ch = new EmbeddedChannel();
        // As on the peer port: silence closes the link (see PeerListenerInitializer).
        ch.pipeline().addLast(new IdleStateHandler(InboundPeerHandler.PEER_SILENCE_SECONDS, 0, 0));
        HerdCodec.addTo(ch.pipeline(), 1024);
        ch.pipeline().addLast(new InboundPeerHandler(new InboundPeerHandler.Server("Hill",
                new Updates(store, null, peers, UpdateListener.NONE), peers, secret, new HerdMetrics("offline"),
                ProtocolLog.off(), peers::reachedBy, Runnable::run)));
        return ch;
    }

    @Test
    void aGreetedPeerIsToldWhatThisServerHoldsAndItsOwnLinkIsRetriedAtOnce() {
        store.offer((At) MessageParser.parse(AT_HILL));
        EmbeddedChannel ch = channel(null);
        ch.writeInbound(buf("PEER Jaquez\n"));
        assertThat(output(ch)).isEqualTo("DIGEST 1 " + store.digest().hash() + "\n");
        assertThat(peers.reachedBy).containsExactly("Jaquez");
        assertThat(ch.finish()).as("nothing left unread in the channel").isFalse();
    }

    @Test
    void aPeersProbeIsAnsweredWithWhatThisServerHoldsNow() {
        EmbeddedChannel ch = channel(null);
        ch.writeInbound(buf("PEER Jaquez\n"));
        assertThat(output(ch)).isEqualTo("DIGEST 0 0\n");
        store.offer((At) MessageParser.parse(AT_HILL));
        ch.writeInbound(buf("DIGEST 7 0123456789abcdef\n"));
        assertThat(output(ch)).isEqualTo("DIGEST 1 " + store.digest().hash() + "\n");
        assertThat(ch.finish()).as("nothing left unread in the channel").isFalse();
    }

    @Test
    void updatesThatAreNewerAreStoredAndFloodedToTheOthers() {
        EmbeddedChannel ch = channel(null);
        String newer = "AT Smith +0.500000000 kiwi +1+1 2";
        String older = "AT Jaquez +0.500000000 kiwi +2+2 1";
        ch.writeInbound(buf("PEER Smith\n" + newer + "\n" + older + "\n" + newer + "\n"));
        // The only line back on a peer link: what this server held when the link opened (nothing).
        assertThat(output(ch)).isEqualTo("DIGEST 0 0\n");
        assertThat(store.get(Bytes.utf8("kiwi")).line().toString()).isEqualTo(newer);
        assertThat(peers.flooded).hasSize(1);
        assertThat(peers.flooded.get(0).from()).isEqualTo("Smith");
        assertThat(ch.finish()).as("nothing left unread in the channel").isFalse();
    }

    @Test
    void treeLinesGoToThePeersAndAnUpdateNotKeptIsSaidSo() {
        EmbeddedChannel ch = channel(null);
        String newer = "AT Smith +0.500000000 kiwi +1+1 2";
        ch.writeInbound(buf("PEER Smith\n" + newer + "\nIHAVE AAAAAAABEjRWeJq8\nIWANT EjRWeJq8\n" + newer + "\n"));
        assertThat(output(ch)).isEqualTo("DIGEST 0 0\n");
        assertThat(peers.treeLines).containsExactly("Smith IHAVE 2", "Smith IWANT 1");
        assertThat(peers.flooded).hasSize(1);
        assertThat(peers.notKept).extracting(u -> u.line().toString()).containsExactly(newer);
        assertThat(ch.isOpen()).isTrue();
        assertThat(ch.finish()).as("nothing left unread in the channel").isFalse();
    }

    @Test
    void anythingButAConfiguredPeersGreetingIsRefusedAndClosed() {
        for (String first : new String[] {"PEER Mallory", "IAMAT kiwi +1+1 1", AT_HILL, "hello"}) {
            EmbeddedChannel ch = channel(null);
            ch.writeInbound(buf(first + "\n" + AT_HILL + "\n"));
            assertThat(output(ch)).isEqualTo("? " + first + "\n");
            assertThat(ch.isOpen()).isFalse();
            assertThat(store.size()).isZero();
            ch.finishAndReleaseAll();
        }
        assertThat(peers.reachedBy).isEmpty();
    }

    @Test
    void aLinkOnWhichNothingArrivesIsClosedAndAProbeKeepsItOpen() {
        EmbeddedChannel ch = channel(null);
        ch.writeInbound(buf("PEER Smith\n"));
        advance(ch, InboundPeerHandler.PEER_SILENCE_SECONDS - 1);
        assertThat(ch.isOpen()).isTrue();
        ch.writeInbound(buf("DIGEST 0 0\n")); // a probe: the silence starts again
        advance(ch, InboundPeerHandler.PEER_SILENCE_SECONDS - 1);
        assertThat(ch.isOpen()).isTrue();
        advance(ch, 2);
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void withAHerdSecretUpdatesCountOnlyAfterTheProof() {
        EmbeddedChannel ch = channel(SECRET);
        ch.writeInbound(buf("PEER Jaquez\n"));
        String challenge = output(ch).trim();
        assertThat(challenge).startsWith("CHALLENGE ");
        String nonce = challenge.substring("CHALLENGE ".length());
        String ours = SECRET.newNonce();
        ch.writeInbound(buf("PROOF " + SECRET.proof("Jaquez", "Hill", nonce) + "\nCHALLENGE " + ours + "\n" + AT_HILL + "\n"));
        // This server proves the secret in turn (over the connecting server's own nonce), then says what it holds.
        assertThat(output(ch)).isEqualTo("PROOF " + SECRET.proof("Hill", "Jaquez", ours) + "\nDIGEST 0 0\n");
        assertThat(store.size()).isEqualTo(1);
        assertThat(peers.reachedBy).containsExactly("Jaquez");
        assertThat(ch.finish()).as("nothing left unread in the channel").isFalse();
    }

    @Test
    void aProvedPeerThatDoesNotChallengeBackIsClosedAndItsUpdatesDoNotCount() {
        EmbeddedChannel ch = channel(SECRET);
        ch.writeInbound(buf("PEER Jaquez\n"));
        String nonce = output(ch).trim().substring("CHALLENGE ".length());
        ch.writeInbound(buf("PROOF " + SECRET.proof("Jaquez", "Hill", nonce) + "\n" + AT_HILL + "\n"));
        assertThat(ch.isOpen()).isFalse();
        assertThat(store.size()).isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void aWrongProofClosesTheLinkAndNothingItSentCounts() {
        EmbeddedChannel ch = channel(SECRET);
        ch.writeInbound(buf("PEER Jaquez\n"));
        output(ch);
        ch.writeInbound(buf("PROOF " + "0".repeat(64) + "\n" + AT_HILL + "\n"));
        assertThat(ch.isOpen()).isFalse();
        assertThat(store.size()).isZero();
        assertThat(peers.reachedBy).isEmpty();
        ch.finishAndReleaseAll();
    }

    private static void advance(EmbeddedChannel ch, int seconds) {
        ch.advanceTimeBy(seconds, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
    }
}
