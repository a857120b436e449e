package dev.herd.sim;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.protocol.Command;
import dev.herd.protocol.MessageFormatter;
import dev.herd.protocol.TreeLine;
import dev.herd.server.store.UpdateListener;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every server of a simulated herd did with the workload's updates, told by the servers
 * themselves: when each first kept each update, and how many update messages each received from its
 * peers (duplicates among them) and their bytes. Workload updates are the client ids
 * {@code sim-0 .. sim-(U-1)}; other records are counted as traffic but not timed.
 */
final class UpdateTracker {
    static final String PREFIX = "sim-";
    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);

    private final int servers;
    private final int updates;
    /** {@link System#nanoTime} when server s first kept update u, at {@code u * servers + s}; 0 while it has not. */
    private final AtomicLongArray arrivals;
    private final LongAdder[] received;
    private final LongAdder[] duplicates;
    private final LongAdder[] bytes;
    /** The tree mode's lines received (IHAVE, IWANT), and their bytes with line endings. */
    private final LongAdder[] treeLines;
    private final LongAdder[] treeLineBytes;
    /** Updates asked for (prints in IWANT lines), herd-wide. */
    private final LongAdder wants = new LongAdder();
    /** Traffic is counted from the end of the warm-up on. */
    private volatile boolean counting;

    UpdateTracker(int servers, int updates) {
        this.servers = servers;
        this.updates = updates;
        this.arrivals = new AtomicLongArray(servers * updates);
        this.received = adders(servers);
        this.duplicates = adders(servers);
        this.bytes = adders(servers);
        this.treeLines = adders(servers);
        this.treeLineBytes = adders(servers);
    }

    /** The listener for server {@code s}: the same one after a restart, so its catch-up counts too. */
    UpdateListener listenerFor(int s) {
        return new UpdateListener() {
            @Override
            public void applied(At record, @Nullable String fromPeer, boolean kept) {
                if (fromPeer != null && counting) {
                    received[s].increment();
                    bytes[s].add(record.canonicalLine().length() + 1L);
                    if (!kept) {
                        duplicates[s].increment();
                    }
                }
                if (kept) {
                    int u = updateOf(record);
                    if (u >= 0) {
                        arrivals.compareAndSet(u * servers + s, 0, System.nanoTime());
                    }
                }
            }

            @Override
            public void treeLineReceived(TreeLine line, String fromPeer) {
                if (counting) {
                    treeLines[s].increment();
                    treeLineBytes[s].add(MessageFormatter.lineOf(line).length() + 1L);
                    if (line.command() == Command.IWANT) {
                        wants.add(line.count());
                    }
                }
            }
        };
    }

    /** Server s lost its store (killed without a journal): what it held no longer counts as held. */
    void forget(int s) {
        for (int u = 0; u < updates; u++) {
            arrivals.set(u * servers + s, 0);
        }
    }

    /** Counts link traffic from now on (before, during the warm-up, it is not counted). */
    void startCounting() {
        counting = true;
    }

    /** When server s first kept update u ({@link System#nanoTime}), or 0. */
    long arrival(int u, int s) {
        return arrivals.get(u * servers + s);
    }

    long received(int s) {
        return received[s].sum();
    }

    long duplicates(int s) {
        return duplicates[s].sum();
    }

    long bytes(int s) {
        return bytes[s].sum();
    }

    /** Updates asked for in IWANT lines, herd-wide. */
    long wants() {
        return wants.sum();
    }

    long treeLines(int s) {
        return treeLines[s].sum();
    }

    long treeLineBytes(int s) {
        return treeLineBytes[s].sum();
    }

    /** How many of the servers in {@code running} hold update u. */
    int holders(int u, boolean[] running) {
        int n = 0;
        for (int s = 0; s < servers; s++) {
            if (running[s] && arrival(u, s) != 0) {
                n++;
            }
        }
        return n;
    }

    int updates() {
        return updates;
    }

    private int updateOf(At record) {
        Bytes id = record.clientId();
        if (id.length() <= PREFIX_BYTES.length || id.length() > PREFIX_BYTES.length + 9) {
            return -1;
        }
        for (int i = 0; i < PREFIX_BYTES.length; i++) {
            if (id.byteAt(i) != PREFIX_BYTES[i]) {
                return -1;
            }
        }
        int u = 0;
        for (int i = PREFIX_BYTES.length; i < id.length(); i++) {
            int digit = id.byteAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            u = u * 10 + digit;
        }
        return u < updates ? u : -1;
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] adders = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }
}
