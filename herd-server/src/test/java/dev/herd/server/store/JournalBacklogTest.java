package dev.herd.server.store;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A journal's backlog: behind past its limit, and the readers it paused read again once it drains. */
class JournalBacklogTest {
    private static final long LIMIT = JournalBacklog.BEHIND_BYTES;

    @Test
    void isBehindOnlyPastItsLimitAndCatchesUpAsBytesAreWritten() {
        JournalBacklog backlog = new JournalBacklog();
        assertThat(backlog.isBehind()).isFalse();
        backlog.queued(LIMIT);
        assertThat(backlog.isBehind()).as("at the limit").isFalse();
        backlog.queued(1);
        assertThat(backlog.isBehind()).as("a byte past it").isTrue();
        backlog.written(1);
        assertThat(backlog.isBehind()).isFalse();
    }

    @Test
    void aResumeRunsAtOnceWhenNotBehindElseOnceWhenCaughtUp() {
        JournalBacklog backlog = new JournalBacklog();
        AtomicInteger runs = new AtomicInteger();
        backlog.whenCaughtUp(runs::incrementAndGet);
        assertThat(runs).hasValue(1);

        backlog.queued(LIMIT + 10);
        backlog.whenCaughtUp(runs::incrementAndGet);
        backlog.notifyIfCaughtUp();
        assertThat(runs).as("still behind").hasValue(1);
        backlog.written(10);
        backlog.notifyIfCaughtUp();
        assertThat(runs).as("caught up").hasValue(2);
        backlog.notifyIfCaughtUp();
        assertThat(runs).as("each resume runs once").hasValue(2);
    }

    @Test
    void aReadingChannelIsPausedWhileBehindAndReadsAgainOnceCaughtUp() {
        JournalBacklog backlog = new JournalBacklog();
        EmbeddedChannel ch = new EmbeddedChannel();
        backlog.pushBack(ch);
        assertThat(ch.config().isAutoRead()).as("not behind: reading on").isTrue();

        backlog.queued(LIMIT + 1);
        backlog.pushBack(ch);
        assertThat(ch.config().isAutoRead()).as("behind: paused").isFalse();
        backlog.written(1);
        backlog.notifyIfCaughtUp();
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead()).as("caught up: reading again").isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void aChannelPausedForAnotherReasonIsLeftAsItIs() {
        JournalBacklog backlog = new JournalBacklog();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAutoRead(false);
        backlog.queued(LIMIT + 1);
        backlog.pushBack(ch);
        backlog.written(1);
        backlog.notifyIfCaughtUp();
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead()).as("not resumed by the journal: it did not pause it").isFalse();
        ch.finishAndReleaseAll();
    }
}
