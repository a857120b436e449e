package dev.herd.server.peer;

import dev.herd.protocol.At;
import dev.herd.protocol.Command;
import dev.herd.protocol.MessageFormatter;
import dev.herd.protocol.TreeLine;
import dev.herd.server.log.ProtocolLog;
import dev.herd.server.log.ServerLog;
import dev.herd.server.metrics.SingleWriterCounter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import org.jspecify.annotations.Nullable;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The updates going out on one peer link: handed over from any thread in batches, written as one
 * buffer per flush, kept in a bounded queue while the link is down or the peer does not read (a full
 * queue is dropped, and {@code onOverflow} asks for a store comparison instead), and counted.
 * Confined to the link's loop but for {@link #send} and the counters.
 */
final class LinkOutput {
    private static final ServerLog LOG = ServerLog.of(LinkOutput.class);
    /** Updates kept for a peer while its link is down: enough for a restart, bounded in memory. */
    static final int MAX_PENDING = 10_000;
    /** Past this, a batch is handed to the channel at once, so the link's output budget sees it. */
    private static final int BATCH_BYTES = 64 * 1024;

    private final String peer;
    private final EventLoop loop;
    /** The channel updates may go out on now (open and authenticated), or null. */
    private final Supplier<@Nullable Channel> open;
    private final Runnable onOverflow;
    private final ProtocolLog lines;
    /**
     * Updates other threads (a client connection's loop) hand this link, taken in one task however
     * many arrive meanwhile: one hand-over and one wake-up of the link's loop per batch, not per update.
     */
    private final Queue<Outgoing> inbox = PlatformDependent.newMpscQueue();
    private final AtomicBoolean inboxScheduled = new AtomicBoolean();
    private final Runnable drainInbox = this::drainInbox;
    private final Runnable flushTask = this::flush;
    /** Update lines written since the last flush, sent as one buffer: one outbound entry and one write per batch. */
    private @Nullable ByteBuf out;
    private boolean flushScheduled;
    private final ArrayDeque<At> pending = new ArrayDeque<>();
    /** Acks of updates written since the last flush: told once it is done. */
    private final ArrayDeque<FloodAck> flushAcks = new ArrayDeque<>();
    /**
     * Tree mode: prints of the updates to announce to the peer, sent as one IHAVE line at the next flush,
     * so that the notices of a burst share a line.
     */
    private long[] announced = new long[16];
    private int announcedCount;
    /** Overflows since the link last opened: the first is logged. */
    private long dropped;
    /** For the admin endpoint: written on the link's loop, read from any thread. */
    private final SingleWriterCounter sent = new SingleWriterCounter();
    private final SingleWriterCounter sentBytes = new SingleWriterCounter();
    private final SingleWriterCounter overflowed = new SingleWriterCounter();
    /** The link as the protocol log names it, for the channel it was made for. */
    private String who;
    private Channel whoChannel;

    LinkOutput(String peer, EventLoop loop, Supplier<@Nullable Channel> open, Runnable onOverflow, ProtocolLog lines) {
        this.peer = peer;
        this.loop = loop;
        this.open = open;
        this.onOverflow = onOverflow;
        this.lines = lines;
    }

    /** An update handed over from another thread, and whom to tell once it is sent. */
    private record Outgoing(At update, @Nullable FloodAck ack) {
    }

    /**
     * Sends an update if the link is up and keeps up, else keeps it for later; {@code ack} (if not null)
     * hears once it is in the socket, or kept. Any thread.
     */
    void send(At update, @Nullable FloodAck ack) {
        if (loop.inEventLoop()) {
            write(update, ack);
            return;
        }
        inbox.offer(new Outgoing(update, ack));
        if (inboxScheduled.compareAndSet(false, true)) {
            loop.execute(drainInbox);
        }
    }

    private void drainInbox() {
        // Cleared before taking, so an update offered from now on schedules another drain.
        inboxScheduled.set(false);
        for (Outgoing next; (next = inbox.poll()) != null; ) {
            write(next.update(), next.ack());
        }
    }

    private void write(At update, @Nullable FloodAck ack) {
        Channel ch = open.get();
        // Behind earlier updates or a full outbound buffer, an update waits its turn; never behind a catch-up.
        if (ch == null || !pending.isEmpty() || !ch.isWritable()) {
            keep(update);
            if (ack != null) {
                ack.done();
            }
            return;
        }
        transmit(ch, update);
        if (ack != null) {
            // Done once the flush has handed it to the socket (as far as the socket takes it): a peer
            // that stops reading, its link still open, must not hold any client's reply.
            flushAcks.add(ack);
        }
    }

    /**
     * Keeps an update until the link takes it. When the queue is full, all it holds is dropped and a
     * comparison is wanted instead: it sends the peer exactly what it then lacks, in batches, so
     * nothing is lost and the queue need not be replayed.
     */
    private void keep(At update) {
        if (pending.size() == MAX_PENDING) {
            overflowed.add(pending.size());
            pending.clear();
            onOverflow.run();
            if (dropped++ == 0) {
                LOG.warn("peer {}: {} updates waiting for the link; dropping them (a store comparison sends what it lacks"
                        + " once it reads again)", peer, MAX_PENDING);
            }
        }
        pending.add(update);
    }

    private void transmit(Channel ch, At update) {
        if (out == null) {
            out = ch.alloc().ioBuffer(4096);
        }
        update.canonicalLine().writeTo(out);
        out.writeByte('\n');
        if (out.readableBytes() >= BATCH_BYTES) {
            writeBatch(ch);
        }
        sent.increment();
        sentBytes.add(update.canonicalLine().length() + 1);
        if (lines.enabled()) {
            lines.begin().text(who(ch)).text(" -> ").escaped(update.canonicalLine()).end();
        }
        scheduleFlush();
    }

    private String who(Channel ch) {
        if (whoChannel != ch) {
            who = peer + " " + ch.remoteAddress();
            whoChannel = ch;
        }
        return who;
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flushTask);
        }
    }

    /**
     * Tree mode: tells the peer, in the IHAVE line of the next flush, that this server holds the update
     * printed {@code print}. Dropped while the link is down: a notice is not kept (the store comparison
     * that opens the link again does its work). Loop only.
     */
    void announce(long print) {
        Channel ch = open.get();
        if (ch == null) {
            return;
        }
        if (announcedCount == TreeLine.MAX_PRINTS) {
            writeAnnounced(ch);
        }
        if (announcedCount == announced.length) {
            announced = Arrays.copyOf(announced, announced.length * 2);
        }
        announced[announcedCount++] = print;
        scheduleFlush();
    }

    /** Tree mode: an IWANT line, after the updates written so far; dropped while the link is down. Loop only. */
    void send(TreeLine line) {
        Channel ch = open.get();
        if (ch != null) {
            writeTreeLine(ch, line);
        }
    }

    private void writeAnnounced(Channel ch) {
        TreeLine line = TreeLine.of(Command.IHAVE, announced, announcedCount);
        announcedCount = 0;
        writeTreeLine(ch, line);
    }

    private void writeTreeLine(Channel ch, TreeLine line) {
        if (out == null) {
            out = ch.alloc().ioBuffer(4096);
        }
        MessageFormatter.write(line, out);
        if (lines.enabled()) {
            lines.begin().text(who(ch)).text(" -> ").escaped(MessageFormatter.lineOf(line)).end();
        }
        scheduleFlush();
    }

    /** Hands the batch of update lines to the channel: before anything else is written to it, and at each flush. */
    void writeBatch(Channel ch) {
        ByteBuf batch = out;
        if (batch != null) {
            out = null;
            ch.write(batch, ch.voidPromise());
        }
    }

    private void flush() {
        Channel ch = open.get();
        if (ch != null && announcedCount > 0) {
            writeAnnounced(ch); // while flushScheduled is still set, so it schedules no other flush
        }
        announcedCount = 0;
        flushScheduled = false;
        if (ch != null) {
            writeBatch(ch);
            ch.flush();
        } else {
            release();
        }
        for (FloodAck ack; (ack = flushAcks.poll()) != null; ) {
            ack.done();
        }
    }

    /** Sends the updates kept while the link was down or slow, while the channel takes them; returns whether none is left. */
    boolean sendKept(Channel ch) {
        for (At update; ch.isWritable() && (update = pending.poll()) != null; ) {
            transmit(ch, update);
        }
        writeBatch(ch);
        return pending.isEmpty();
    }

    int kept() {
        return pending.size();
    }

    /** Drops the updates kept: a comparison about to start sends what the peer lacks instead. */
    void dropKept() {
        if (!pending.isEmpty()) {
            LOG.debug("peer link to {}: {} kept updates left to the comparison", peer, pending.size());
            pending.clear();
        }
    }

    /** The link opened: the next overflow is logged again. */
    void opened() {
        dropped = 0;
    }

    /** The link closed: a batch not yet handed to a channel is freed. */
    void release() {
        if (out != null) {
            out.release();
            out = null;
        }
    }

    /** The link is closed for good: nothing kept is sent. */
    void close() {
        pending.clear();
    }

    long sent() {
        return sent.get();
    }

    long sentBytes() {
        return sentBytes.get();
    }

    long overflowed() {
        return overflowed.get();
    }
}
