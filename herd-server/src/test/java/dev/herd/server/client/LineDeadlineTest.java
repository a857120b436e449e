package dev.herd.server.client;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static dev.herd.server.EmbeddedLines.buf;
import static org.assertj.core.api.Assertions.assertThat;

class LineDeadlineTest {
    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new LineDeadline(10_000));
    }

    @Test
    void aClientTricklingOneByteAtATimeIsClosedWhenTheLineIsTenSecondsOld() {
        EmbeddedChannel ch = channel();
        for (int i = 0; i < 6; i++) {
            ch.writeInbound(buf("I"));
            ch.advanceTimeBy(1500, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
        }
        assertThat(ch.isOpen()).isTrue();
        ch.writeInbound(buf("A"));
        ch.advanceTimeBy(1500, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void linesFinishedInTimeKeepTheConnectionHoweverLongItLives() {
        EmbeddedChannel ch = channel();
        for (int i = 0; i < 20; i++) {
            ch.writeInbound(buf("IAMAT a +1+1 1"));
            ch.advanceTimeBy(5, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
            ch.writeInbound(buf("\nWHATSAT a 1 1\n"));
            ch.advanceTimeBy(30, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
        }
        assertThat(ch.isOpen()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void timeWhileTheServerIsNotReadingDoesNotCount() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(buf("IAMAT a"));
        ch.config().setAutoRead(false);
        ch.advanceTimeBy(30, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isTrue();
        ch.finishAndReleaseAll();
    }
}
