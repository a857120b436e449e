package dev.herd.server.store;

import dev.herd.protocol.At;
import dev.herd.protocol.MessageParser;
import dev.herd.server.config.Fsync;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** An update's consequences, in one place: kept if newer, journaled, flooded, told; and the client's acknowledgement. */
class UpdatesTest {
    private static final At OLD = at("Hill", "kiwi", 1);
    private static final At NEW = at("Jaquez", "kiwi", 2);

    private static At at(String server, String id, long time) {
        return (At) MessageParser.parse("AT " + server + " +0.000000001 " + id + " +34-118 " + time);
    }

    /** Floods recorded; with links "up", each waits for {@link #sendAll}. */
    private static final class Links implements Fanout {
        record Flood(At update, @Nullable String from, @Nullable Runnable whenSent) {
        }

        final List<Flood> floods = new ArrayList<>();
        boolean up;

        @Override
        public boolean flood(At update, @Nullable String fromPeer, @Nullable Runnable whenSent) {
            floods.add(new Flood(update, fromPeer, whenSent));
            return up;
        }

        void sendAll() {
            floods.forEach(f -> {
                if (f.whenSent() != null) {
                    f.whenSent().run();
                }
            });
        }
    }

    private record Applied(At record, @Nullable String from, boolean kept) {
    }

    private final LocationStore store = new LocationStore();
    private final Links links = new Links();
    private final List<Applied> applied = new ArrayList<>();
    private final UpdateListener listener = (record, from, kept) -> applied.add(new Applied(record, from, kept));

    /** The acknowledgement a client waits for: done once, with or without a failure. */
    private static final class Ack implements Updates.Acknowledgement {
        final CompletableFuture<@Nullable String> done = new CompletableFuture<>();
        int calls;

        @Override
        public void done(@Nullable String failure) {
            calls++;
            done.complete(failure);
        }
    }

    @Test
    void aClientsNewRecordIsKeptToldAndFloodedAndAcknowledgedOnceItIsOnTheLinks() {
        Updates updates = new Updates(store, null, links, listener);
        links.up = true;
        Ack ack = new Ack();
        assertThat(updates.accept(OLD, null, ack)).isEqualTo(LocationStore.Outcome.KEPT);
        assertThat(store.get(OLD.clientId())).isEqualTo(OLD);
        assertThat(applied).containsExactly(new Applied(OLD, null, true));
        assertThat(links.floods).singleElement().satisfies(f -> {
            assertThat(f.update()).isEqualTo(OLD);
            assertThat(f.from()).isNull();
        });
        assertThat(ack.done).as("waits for the links").isNotDone();
        links.sendAll();
        assertThat(ack.done).isCompletedWithValue(null);
        assertThat(ack.calls).isEqualTo(1);
    }

    @Test
    void withNoLinkUpTheAcknowledgementComesAtOnce() {
        Updates updates = new Updates(store, null, links, listener);
        Ack ack = new Ack();
        updates.accept(OLD, null, ack);
        assertThat(ack.done).isCompletedWithValue(null);
        assertThat(ack.calls).isEqualTo(1);
    }

    @Test
    void aPeersRecordIsFloodedToTheOthersWithoutAnAcknowledgement() {
        Updates updates = new Updates(store, null, links, listener);
        links.up = true;
        assertThat(updates.accept(NEW, "Jaquez", null)).isEqualTo(LocationStore.Outcome.KEPT);
        assertThat(links.floods).singleElement().satisfies(f -> {
            assertThat(f.from()).isEqualTo("Jaquez");
            assertThat(f.whenSent()).isNull();
        });
        assertThat(applied).containsExactly(new Applied(NEW, "Jaquez", true));
    }

    @Test
    void aRecordNotNewerIsToldButNeitherKeptNorFloodedNorAcknowledged() {
        Updates updates = new Updates(store, null, links, listener);
        updates.accept(NEW, "Jaquez", null);
        links.floods.clear();
        applied.clear();
        Ack ack = new Ack();
        assertThat(updates.accept(OLD, null, ack)).isEqualTo(LocationStore.Outcome.NOT_NEWER);
        assertThat(store.get(OLD.clientId())).isEqualTo(NEW);
        assertThat(applied).containsExactly(new Applied(OLD, null, false));
        assertThat(links.floods).isEmpty();
        assertThat(ack.calls).isZero();
    }

    @Test
    void aFullStoreRefusesANewClientWithoutTellingOrFlooding() {
        LocationStore full = new LocationStore(1);
        Updates updates = new Updates(full, null, links, listener);
        Ack ack = new Ack();
        assertThat(updates.accept(OLD, null, ack)).isEqualTo(LocationStore.Outcome.FULL);
        assertThat(applied).isEmpty();
        assertThat(links.floods).isEmpty();
        assertThat(ack.calls).isZero();
        assertThat(full.refusedFull()).isEqualTo(1);
    }

    @Test
    void withAJournalTheAcknowledgementWaitsForTheRecordOnDisk(@TempDir Path dir) throws Exception {
        try (Journal journal = new Journal(dir.resolve("Hill.journal"), Fsync.ALWAYS, List::of,
                new DefaultThreadFactory("journal-test", true))) {
            Updates updates = new Updates(store, journal, links, listener);
            assertThat(updates.refusal()).isNull();
            assertThat(updates.journalFailure()).isNull();
            Ack ack = new Ack();
            updates.accept(OLD, null, ack);
            assertThat(ack.done.get(5, TimeUnit.SECONDS)).isNull();
            List<byte[]> read = new ArrayList<>();
            journal.barrier().get(5, TimeUnit.SECONDS);
            JournalReader.read(dir.resolve("Hill.journal"), false, read::add);
            assertThat(read).singleElement().isEqualTo(OLD.canonicalLine().toByteArray());
        }
    }

    @Test
    void aJournalThatCannotWriteFailsTheAcknowledgementAndRefusesUpdates(@TempDir Path dir) throws Exception {
        JournalDisk full = JournalFixtures.fillingWhen(() -> true);
        try (Journal journal = new Journal(dir.resolve("Hill.journal"), Fsync.ALWAYS, List::of,
                new DefaultThreadFactory("journal-test", true), path -> full)) {
            Updates updates = new Updates(store, journal, links, listener);
            Ack ack = new Ack();
            updates.accept(OLD, null, ack);
            assertThat(ack.done.get(5, TimeUnit.SECONDS)).isEqualTo("journal cannot be written: No space left on device");
            assertThat(updates.journalFailure()).isEqualTo("No space left on device");
            assertThat(updates.refusal()).isEqualTo("journal cannot be written: No space left on device");
            EmbeddedChannel ch = new EmbeddedChannel();
            updates.pushBack(ch);
            assertThat(ch.config().isAutoRead()).as("the journal is not behind: reading goes on").isTrue();
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void withoutAJournalNothingIsRefusedOrPushedBack() {
        Updates updates = new Updates(store, null, links, listener);
        assertThat(updates.refusal()).isNull();
        assertThat(updates.journalFailure()).isNull();
        assertThat(updates.store()).isSameAs(store);
        EmbeddedChannel ch = new EmbeddedChannel();
        updates.pushBack(ch);
        assertThat(ch.config().isAutoRead()).isTrue();
        ch.finishAndReleaseAll();
    }
}
