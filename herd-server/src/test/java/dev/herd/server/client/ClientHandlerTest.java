package dev.herd.server.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.protocol.Command;
import dev.herd.protocol.Location;
import dev.herd.protocol.MessageParser;
import dev.herd.protocol.Radius;
import dev.herd.protocol.codec.HerdCodec;
import dev.herd.server.config.ClientLimits;
import dev.herd.server.config.Fsync;
import dev.herd.server.internal.HerdPipeline;
import dev.herd.server.log.ProtocolLog;
import dev.herd.server.metrics.HerdMetrics;
import dev.herd.server.peer.RecordingPeers;
import dev.herd.server.places.Places;
import dev.herd.server.places.PlacesJson;
import dev.herd.server.store.Journal;
import dev.herd.server.store.JournalDisk;
import dev.herd.server.store.JournalFixtures;
import dev.herd.server.store.LocationStore;
import dev.herd.server.store.Updates;
import dev.herd.testing.Wait;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import static dev.herd.server.EmbeddedLines.buf;
import static dev.herd.server.EmbeddedLines.output;
import static org.assertj.core.api.Assertions.assertThat;

class ClientHandlerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1621464828, 223372000), ZoneOffset.UTC);
    private static final String IAMAT = "IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 1621464827.959498503";
    private static final String AT_HILL = "AT Hill +0.263873497 kiwi.cs.ucla.edu +34.068930-118.445127 1621464827.959498503";

    private final LocationStore store = new LocationStore();
    private final HerdMetrics metrics = new HerdMetrics("offline");
    /** Where the handler's updates are journaled; null: no data dir. */
    private Journal journal;
    private final RecordingPeers peers = new RecordingPeers(Set.of("Jaquez", "Smith"));
    private final ScriptedPlaces places = new ScriptedPlaces();

    private EmbeddedChannel channel() {
        return channel(1024);
    }

    private EmbeddedChannel channel(int maxOwed) {
        return channel(maxOwed, null);
    }

    /** A channel whose handler waits for {@code sync} (made on the channel's loop) before saying "unknown client". */
    private EmbeddedChannel channel(int maxOwed, Function<EmbeddedChannel, PeerSync> sync) {
        return channel(maxOwed, sync, ClientHandler.Admission.PROTOCOL_ONLY, store);
    }

    private EmbeddedChannel channel(ClientHandler.Admission admission, LocationStore into) {
        return channel(1024, null, admission, into);
    }

    private EmbeddedChannel channel(int maxOwed, Function<EmbeddedChannel, PeerSync> sync,
                                    ClientHandler.Admission admission, LocationStore into) {
        EmbeddedChannel ch = new EmbeddedChannel();
        Updates updates = new Updates(into, journal, peers, metrics);
        ClientHandler handler = new ClientHandler(new ClientHandler.Services("Hill", updates, places, CLOCK, Duration.ofSeconds(5)),
                metrics, ProtocolLog.off(),
                sync == null ? PeerSync.DONE : sync.apply(ch), admission);
        ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        ch.attr(ConnectionState.KEY).set(new ConnectionState(maxOwed));
        HerdCodec.addClientCodecTo(ch.pipeline(), 1024);
        ch.pipeline().addLast(HerdPipeline.HANDLER, handler);
        return ch;
    }

    @Test
    void theServersOwnClientPipelineRunsOnAnEmbeddedChannel() {
        // The pipeline the server puts on every accepted connection, as the benchmarks run it.
        ClientHandler handler = new ClientHandler(new ClientHandler.Services("Hill", new Updates(store, journal, peers, metrics),
                places, CLOCK, Duration.ofSeconds(5)), metrics, ProtocolLog.off(), PeerSync.DONE, ClientHandler.Admission.PROTOCOL_ONLY);
        ClientConnections connections = new ClientConnections();
        EmbeddedChannel ch = new EmbeddedChannel(new ClientPipelineInitializer(ClientLimits.DEFAULT, null, () -> handler,
                connections, metrics));
        ch.writeInbound(buf(IAMAT + "\nHELLO\n"));
        assertThat(output(ch)).isEqualTo(AT_HILL + "\n? HELLO\n");
        assertThat(connections.size()).isEqualTo(1);
        assertThat(metrics.connectionsAccepted()).isEqualTo(1);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void anIdLongerThanTheLimitIsRefusedAndNotStored() {
        EmbeddedChannel ch = channel(new ClientHandler.Admission(8, 0, 64), store);
        String iamat = "IAMAT nine-byte +34.068930-118.445127 1621464827.959498503";
        ch.writeInbound(buf(iamat + "\n"));
        assertThat(output(ch)).isEqualTo("? " + iamat + "\n");
        assertThat(store.size()).isZero();
        assertThat(peers.flooded).isEmpty();
    }

    @Test
    void aTimeTooFarAheadIsRefusedOnlyWhenTheOptionBoundsIt() {
        String future = "IAMAT kiwi +34.068930-118.445127 9999999999.5";
        EmbeddedChannel bounded = channel(new ClientHandler.Admission(1024, 60_000, 64), store);
        bounded.writeInbound(buf(future + "\n" + IAMAT + "\n"));
        assertThat(output(bounded)).isEqualTo("? " + future + "\n" + AT_HILL + "\n");
        EmbeddedChannel protocol = channel();
        protocol.writeInbound(buf(future + "\n"));
        assertThat(output(protocol)).startsWith("AT Hill -");
    }

    @Test
    void aFullStoreRefusesNewClientsWithAQuestionMarkAndServesKnownOnes() {
        LocationStore small = new LocationStore(AT_HILL.length() + LocationStore.RECORD_OVERHEAD);
        EmbeddedChannel ch = channel(ClientHandler.Admission.PROTOCOL_ONLY, small);
        String other = "IAMAT pear +34.068930-118.445127 1621464827.959498503";
        ch.writeInbound(buf(IAMAT + "\n" + other + "\n"));
        assertThat(output(ch)).isEqualTo(AT_HILL + "\n? " + other + "\n");
        assertThat(small.size()).isEqualTo(1);
    }

    @Test
    void whileTheJournalCannotWriteIAmAtIsRefusedNeverAcknowledged(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        AtomicBoolean full = new AtomicBoolean(true);
        JournalDisk failing = JournalFixtures.fillingWhen(full::get);
        try (Journal journal = new Journal(dir.resolve("Hill.journal"), Fsync.ALWAYS, List::of,
                new DefaultThreadFactory("journal-test", true), path -> failing)) {
            this.journal = journal;
            EmbeddedChannel ch = channel();
            // The first IAMAT's write fails: its reply is the refusal, not the AT.
            ch.writeInbound(buf(IAMAT + "\n"));
            StringBuilder out = new StringBuilder();
            Wait.until("the refusal", Duration.ofSeconds(5), () -> {
                ch.runPendingTasks();
                out.append(output(ch));
                return out.length() > 0;
            });
            assertThat(out.toString()).isEqualTo("? " + IAMAT + "\n");
            // From then on, refused at once.
            String next = "IAMAT pear +34.068930-118.445127 1621464827.959498503";
            ch.writeInbound(buf(next + "\n"));
            assertThat(output(ch)).isEqualTo("? " + next + "\n");
            assertThat(store.get(Bytes.utf8("pear"))).isNull();
        }
    }

    @Test
    void answersIAmAtAndFloodsIt() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(buf(IAMAT + "\n"));
        assertThat(output(ch)).isEqualTo(AT_HILL + "\n");
        assertThat(peers.flooded).extracting(f -> f.update().line().toString()).containsExactly(AT_HILL);
        assertThat(peers.flooded.get(0).from()).isNull();
        assertThat(store.get(Bytes.utf8("kiwi.cs.ucla.edu")).line().toString()).isEqualTo(AT_HILL);
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void theReplyToAnIAmAtFollowsItsFloodSoANeighbourAskedAtOnceHasTheRecord() {
        peers.linksUp = true;
        EmbeddedChannel ch = channel();
        ch.writeInbound(buf(IAMAT + "\nWHATSAT nobody 10 5\n"));
        // The flood has not reached the links' sockets yet: the reply, and every reply after it, wait.
        assertThat(output(ch)).isEmpty();
        peers.sendAll();
        ch.runPendingTasks();
        assertThat(output(ch)).isEqualTo(AT_HILL + "\n? WHATSAT nobody 10 5\n");
        assertThat(ch.finish()).as("nothing left unread in the channel").isFalse();
    }

    @Test
    void staleIAmAtIsAnsweredButNeitherStoredNorFlooded() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(buf(IAMAT + "\n"));
        ch.writeInbound(buf("IAMAT kiwi.cs.ucla.edu +1-1 1621464827.959498502\n"));
        assertThat(output(ch)).isEqualTo(AT_HILL + "\nAT Hill +0.263873498 kiwi.cs.ucla.edu +1-1 1621464827.959498502\n");
        assertThat(peers.flooded).hasSize(1);
        assertThat(store.get(Bytes.utf8("kiwi.cs.ucla.edu")).line().toString()).isEqualTo(AT_HILL);
        assertThat(ch.finish()).as("nothing left unread in the channel").isFalse();
    }

    @Test
    void repliesInLineOrderWhileWhatsAtWaitsForPlaces() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(buf(IAMAT + "\nWHATSAT kiwi.cs.ucla.edu 10 1\nIAMAT other +1+1 1\nbogus\n"));
        assertThat(output(ch)).isEqualTo(AT_HILL + "\n");
        assertThat(places.asked).containsExactly("+34.068930-118.445127 10000");

        places.answer(0, "{\"html_attributions\":[],\"results\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"status\":\"OK\"}");
        ch.runPendingTasks();
        assertThat(output(ch)).isEqualTo(AT_HILL + "\n"
                + "{\n   \"html_attributions\" : [],\n   \"results\" : [\n      {\n         \"name\" : \"a\"\n      }\n   ],\n"
                + "   \"status\" : \"OK\"\n}\n\n"
                + "AT Hill +1621464827.223372000 other +1+1 1\n"
                + "? bogus\n");
        assertThat(ch.finish()).as("nothing left unread in the channel").isFalse();
    }

    @Test
    void stopsReadingFromAClientThatOwesTooManyRepliesAndResumesWhenAnswered() {
        EmbeddedChannel ch = channel(3);
        ch.writeInbound(buf(IAMAT + "\nWHATSAT kiwi.cs.ucla.edu 10 1\nWHATSAT kiwi.cs.ucla.edu 10 1\nWHATSAT kiwi.cs.ucla.edu 10 1\n"));
        assertThat(ch.config().isAutoRead()).isFalse();
        for (int i = 0; i < 3; i++) {
            places.answer(i, "{\"results\":[],\"status\":\"ZERO_RESULTS\"}");
        }
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(output(ch).split("ZERO_RESULTS", -1)).hasSize(4);
        assertThat(ch.finish()).as("nothing left unread in the channel").isFalse();
    }

    @Test
    void oneConnectionHasOnlyItsShareOfPlacesInFlightAndTheRestWaitInOrder() {
        EmbeddedChannel ch = channel(new ClientHandler.Admission(1024, 0, 2), store);
        String whatsat = "WHATSAT kiwi.cs.ucla.edu 10 1\n";
        ch.writeInbound(buf(IAMAT + "\n" + whatsat.repeat(5) + "IAMAT other +1+1 1\n"));
        assertThat(places.asked).hasSize(2);
        assertThat(ch.config().isAutoRead()).as("reading waits while lines wait").isFalse();
        for (int answered = 0; answered < 5; answered++) {
            places.answer(answered, "{\"results\":[],\"status\":\"ZERO_RESULTS\"}");
            ch.runPendingTasks();
            assertThat(places.asked).hasSize(Math.min(5, answered + 3));
        }
        String out = output(ch);
        assertThat(out.split("ZERO_RESULTS", -1)).hasSize(6);
        assertThat(out).endsWith("AT Hill +1621464827.223372000 other +1+1 1\n");
        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(ch.finish()).as("nothing left unread in the channel").isFalse();
    }

    @Test
    void linesWaitWhileTheClientDoesNotReadItsReplies() {
        EmbeddedChannel ch = channel();
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        // Unflushed output past the mark: the channel is over its output budget, as with a client that never reads.
        ch.write(Unpooled.wrappedBuffer(new byte[64]));
        assertThat(ch.isWritable()).isFalse();
        ch.pipeline().fireChannelRead(buf(IAMAT + "\n"));
        assertThat(store.size()).as("the IAMAT waits, unread").isZero();
        ch.flush();
        ch.pipeline().fireChannelWritabilityChanged();
        ch.runPendingTasks();
        assertThat(store.size()).isEqualTo(1);
        ch.finishAndReleaseAll();
    }

    @Test
    void aClientThatStaysBehindPastTheHardLimitIsClosed() {
        EmbeddedChannel ch = channel(2);
        ch.writeInbound(buf(IAMAT + "\nWHATSAT kiwi.cs.ucla.edu 10 1\nWHATSAT kiwi.cs.ucla.edu 10 1\n"));
        assertThat(ch.config().isAutoRead()).isFalse();
        ch.advanceTimeBy(ConnectionState.STALL_LIMIT_SECONDS - 1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void whatsAtForAnUnknownClientIsEchoedExactly() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(buf("WHATSAT\tnobody   10 5 \n"));
        assertThat(output(ch)).isEqualTo("? WHATSAT\tnobody   10 5 \n");
        assertThat(places.asked).isEmpty();
        assertThat(ch.finish()).as("nothing left unread in the channel").isFalse();
    }

    @Test
    void atLineFromAClientIsInvalidAndChangesNothing() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(buf(AT_HILL + "\n"));
        assertThat(output(ch)).isEqualTo("? " + AT_HILL + "\n");
        assertThat(store.size()).isZero();
        assertThat(peers.flooded).isEmpty();
        assertThat(ch.finish()).as("nothing left unread in the channel").isFalse();
    }

    @Test
    void justStartedAServerSaysUnknownClientOnlyOnceItsPeersHaveSpoken() {
        PeerSync[] sync = new PeerSync[1];
        EmbeddedChannel ch = channel(1024, c -> sync[0] = new PeerSync(Set.of("Jaquez", "Smith"), c.eventLoop()));
        ch.writeInbound(buf("WHATSAT kiwi.cs.ucla.edu 10 5\nWHATSAT nobody 10 5\n"));
        assertThat(output(ch)).isEmpty();
        // Jaquez's link opens and brings the record; Smith's follows.
        store.offer((At) MessageParser.parse(AT_HILL));
        sync[0].heardFrom("Jaquez");
        ch.runPendingTasks();
        assertThat(output(ch)).isEmpty();
        sync[0].heardFrom("Smith");
        ch.runPendingTasks();
        places.answer(0, "{\"results\": [], \"status\": \"ZERO_RESULTS\"}");
        ch.runPendingTasks();
        assertThat(output(ch)).startsWith(AT_HILL + "\n{").endsWith("}\n\n? WHATSAT nobody 10 5\n");
        assertThat(ch.finish()).as("nothing left unread in the channel").isFalse();
    }

    @Test
    void aPeerThatNeverSpeaksHoldsAnUnknownClientsAnswerForASecondAtMost() {
        EmbeddedChannel ch = channel(1024, c -> new PeerSync(Set.of("Jaquez"), c.eventLoop()));
        ch.writeInbound(buf("WHATSAT nobody 10 5\n"));
        ch.advanceTimeBy(PeerSync.LIMIT.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(output(ch)).isEmpty();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
        assertThat(output(ch)).isEqualTo("? WHATSAT nobody 10 5\n");
        assertThat(ch.finish()).as("nothing left unread in the channel").isFalse();
    }

    @Test
    void peerMessagesFromAClientAreInvalidEchoedAsReceived() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(buf("PEER Jaquez\nDIGEST 0 0\nCHALLENGE  00ff\nPROOF 1234\n" + IAMAT + "\n"));
        assertThat(output(ch)).isEqualTo("? PEER Jaquez\n? DIGEST 0 0\n? CHALLENGE  00ff\n? PROOF 1234\n" + AT_HILL + "\n");
        assertThat(peers.flooded).hasSize(1);
        assertThat(ch.finish()).as("nothing left unread in the channel").isFalse();
    }

    @Test
    void aStoppingServerAnswersAWhatsAtStillWaitingForPlacesAtOnceWithTheFailureAnswer() {
        store.offer((At) MessageParser.parse(AT_HILL));
        EmbeddedChannel ch = channel();
        ch.writeInbound(buf("WHATSAT kiwi.cs.ucla.edu 10 5\n" + IAMAT + "\n"));
        assertThat(output(ch)).isEmpty();
        ch.pipeline().fireUserEventTriggered(ClientHandler.DRAIN);
        ch.runPendingTasks();
        String reply = output(ch);
        assertThat(reply).startsWith(AT_HILL + "\n{\n").contains("\"status\" : \"UNKNOWN_ERROR\"")
                .contains("Places request failed: the server is stopping").endsWith("}\n\n" + AT_HILL + "\n");
        assertThat(ch.isOpen()).isFalse();
        // Places answering later changes nothing: the reply was given.
        places.answer(0, "{\"results\": [], \"status\": \"ZERO_RESULTS\"}");
        ch.runPendingTasks();
        assertThat(output(ch)).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void halfCloseGetsEveryOwedReplyThenCloses() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(buf(IAMAT + "\nWHATSAT kiwi.cs.ucla.edu 1.5 5"));
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(output(ch)).isEqualTo(AT_HILL + "\n");
        assertThat(ch.isOpen()).isTrue();
        assertThat(places.asked).containsExactly("+34.068930-118.445127 1500");

        places.answer(0, "{\"results\":[],\"status\":\"ZERO_RESULTS\"}");
        ch.runPendingTasks();
        assertThat(output(ch)).isEqualTo(AT_HILL + "\n{\n   \"results\" : [],\n   \"status\" : \"ZERO_RESULTS\"\n}\n\n");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void halfCloseWithNothingOwedClosesAtOnce() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(buf("junk"));
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertThat(output(ch)).isEqualTo("? junk\n");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void invalidBytesAreEchoedByteForByte() {
        EmbeddedChannel ch = channel();
        byte[] line = {'I', 'A', 'M', 'A', 'T', ' ', (byte) 0xff, (byte) 0xfe, ' ', 'x', '\n'};
        ch.writeInbound(Unpooled.wrappedBuffer(line));
        ByteBuf out = ch.readOutbound();
        byte[] written = new byte[out.readableBytes()];
        out.readBytes(written);
        out.release();
        assertThat(written).startsWith('?', ' ').endsWith(line);
        assertThat(ch.finish()).as("nothing left unread in the channel").isFalse();
    }

    @Test
    void overLongLineIsAnsweredAndTheConnectionGoesOn() {
        EmbeddedChannel ch = channel();
        String tooLong = "IAMAT " + "k".repeat(2000);
        ch.writeInbound(buf(tooLong + "\n" + IAMAT + "\n"));
        assertThat(output(ch)).isEqualTo("? " + tooLong.substring(0, 64) + " ...\n" + AT_HILL + "\n");
        assertThat(ch.finish()).as("nothing left unread in the channel").isFalse();
    }

    /** A Places source whose answers the test gives, when it chooses. */
    private static final class ScriptedPlaces implements Places {
        final List<String> asked = new ArrayList<>();
        private final List<CompletableFuture<JsonNode>> pending = new ArrayList<>();

        @Override
        public CompletableFuture<JsonNode> nearby(Location location, Radius radius) {
            asked.add(location.text() + " " + radius.metresText());
            CompletableFuture<JsonNode> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }

        void answer(int index, String json) {
            try {
                pending.get(index).complete(PlacesJson.parse(json));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public String describe() {
            return "scripted";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theLimitsOfAnIAmAtAreInclusive() {
        EmbeddedChannel ch = channel(new ClientHandler.Admission(8, 60_000, 64), store);
        String eight = "IAMAT eightchr +34.068930-118.445127 1621464827.5";
        String atTheBound = "IAMAT kiwi +34.068930-118.445127 1621464888.5";
        String pastTheBound = "IAMAT kiwi +34.068930-118.445127 1621464889.5";
        ch.writeInbound(buf(eight + "\n" + atTheBound + "\n" + pastTheBound + "\n"));
        String[] replies = output(ch).split("\n");
        assertThat(replies).hasSize(3);
        assertThat(replies[0]).as("an id of exactly the limit").startsWith("AT Hill ");
        assertThat(replies[1]).as("a time exactly the bound ahead").startsWith("AT Hill -");
        assertThat(replies[2]).as("a second more").isEqualTo("? " + pastTheBound);
        assertThat(ch.finish()).as("nothing left unread in the channel").isFalse();
    }

    @Test
    void everyExchangeIsCountedOnceByCommandAndReply() {
        EmbeddedChannel ch = channel(new ClientHandler.Admission(8, 0, 64), store);
        String tooLong = "IAMAT nine-byte +34.068930-118.445127 1621464827.959498503";
        String kiwi = "IAMAT kiwi +34.068930-118.445127 1621464827.959498503";
        ch.writeInbound(buf(kiwi + "\n" + kiwi + "\n" + tooLong + "\nHELLO\n"));
        output(ch);
        assertThat(metrics.lines(Command.IAMAT, true)).as("kept, and not newer").isEqualTo(2);
        assertThat(metrics.lines(Command.IAMAT, false)).as("refused").isEqualTo(1);
        assertThat(metrics.lines(null, false)).as("no command").isEqualTo(1);
        assertThat(metrics.replies(HerdMetrics.Reply.AT)).isEqualTo(2);
        assertThat(metrics.replies(HerdMetrics.Reply.INVALID)).isEqualTo(2);
        assertThat(metrics.recent().newestFirst()).as("the record kept, for the status page").hasSize(1);
        assertThat(ch.finish()).as("nothing left unread in the channel").isFalse();
    }
}
