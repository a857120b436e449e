package dev.herd.server.store;

import io.netty.channel.Channel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes a journal has queued and not yet written, and the readers waiting for them to drain: past
 * {@value #BEHIND_BYTES} bytes connections stop reading, so that what they send waits in their sockets,
 * not in the server's memory. Any thread.
 */
final class JournalBacklog {
    /** Queued and unwritten bytes past which readers pause. */
    static final long BEHIND_BYTES = 32L << 20;

    private final AtomicLong unwritten = new AtomicLong();
    private final List<Runnable> caughtUp = new ArrayList<>();

    void queued(long bytes) {
        unwritten.addAndGet(bytes);
    }

    /** {@code bytes} reached the file. */
    void written(long bytes) {
        unwritten.addAndGet(-bytes);
    }

    boolean isBehind() {
        return unwritten.get() > BEHIND_BYTES;
    }

    /** Runs {@code resume} (on the writer's thread) once the journal is no longer behind; at once if it is not. */
    void whenCaughtUp(Runnable resume) {
        synchronized (caughtUp) {
            if (isBehind()) {
                caughtUp.add(resume);
                return;
            }
        }
        resume.run();
    }

    /** Runs the resumes waiting, if the journal is no longer behind. Writer's thread. */
    void notifyIfCaughtUp() {
        List<Runnable> resume;
        synchronized (caughtUp) {
            if (caughtUp.isEmpty() || isBehind()) {
                return;
            }
            resume = new ArrayList<>(caughtUp);
            caughtUp.clear();
        }
        resume.forEach(Runnable::run);
    }

    /**
     * Stops reading from {@code channel} while the journal is behind, and reads again once it has caught
     * up. Event loop of the channel.
     */
    void pushBack(Channel channel) {
        if (!isBehind() || !channel.config().isAutoRead()) {
            return;
        }
        channel.config().setAutoRead(false);
        whenCaughtUp(() -> channel.eventLoop().execute(() -> {
            channel.config().setAutoRead(true);
            channel.read();
        }));
    }
}
