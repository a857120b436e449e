package dev.herd.server.peer;

import dev.herd.protocol.Prints;
import dev.herd.protocol.Sums;
import dev.herd.server.log.ServerLog;
import dev.herd.server.store.Replica;
import io.netty.channel.ChannelHandlerContext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The receiving end of a comparison: takes a peer's {@code SUMS} lines, notes the buckets whose sums
 * differ from this server's, and once the last line is in, answers with this server's fingerprints in
 * those buckets ({@code PRINTS} lines, then {@code PRINTS end}). One per peer connection; {@link #take}
 * is confined to its event loop, {@link #prints} runs anywhere.
 */
final class SumsAnswer {
    private static final ServerLog LOG = ServerLog.of(SumsAnswer.class);
    /** Bytes of entries per {@code PRINTS} line: 11 KiB of text. */
    static final int PRINTS_BYTES_PER_LINE = 8192;

    private final Replica replica;
    /** This server's sums for the comparison under way, or null between comparisons. */
    private int[] mine;
    private int bits;
    private int salt;
    private int next;
    private BitSet differ;

    SumsAnswer(Replica replica) {
        this.replica = replica;
    }

    /** Which buckets differ, once a peer's sums are all in: what the answer is made from. */
    record Differences(int bits, int salt, BitSet buckets) {
        int count() {
            return buckets.cardinality();
        }
    }

    /**
     * Takes one {@code SUMS} line; returns the buckets that differ once it was the last, else null.
     *
     * @throws IllegalArgumentException if the line does not follow the one before (a peer out of step)
     */
    Differences take(Sums line) {
        if (line.first() == 0) {
            bits = line.bits();
            salt = line.salt();
            mine = BucketSums.fold(replica.bucketSums(), bits, salt);
            differ = new BitSet(mine.length);
            next = 0;
        } else if (mine == null || line.first() != next || line.bits() != bits || line.salt() != salt) {
            mine = null;
            throw new IllegalArgumentException("SUMS out of order: expected bucket " + next + ", got " + line.first());
        }
        for (int i = 0; i < line.count(); i++) {
            if (line.sum(i) != mine[line.first() + i]) {
                differ.set(line.first() + i);
            }
        }
        next = line.first() + line.count();
        if (!line.last()) {
            return null;
        }
        mine = null;
        return new Differences(bits, salt, differ);
    }

    /**
     * The answer: this server's fingerprints in the buckets that differ, then {@code PRINTS end}. It
     * walks the whole store, so it runs off the event loops.
     */
    static List<Prints> prints(Replica replica, Differences d) {
        int bits = d.bits();
        int salt = d.salt();
        BitSet differ = d.buckets();
        // Fingerprints grouped by bucket: the store is walked once, in its own order.
        int[] counts = new int[1 << bits];
        long[][] holder = {new long[1024]};
        int[] size = {0};
        replica.forEachIn(bits, differ, (bucket, line, lineHash) -> {
            if (size[0] == holder[0].length) {
                holder[0] = Arrays.copyOf(holder[0], size[0] * 2);
            }
            holder[0][size[0]++] = (long) bucket << 32 | (BucketSums.fingerprint(lineHash, salt) & 0xffffffffL);
            counts[bucket]++;
        });
        long[] prints = Arrays.copyOf(holder[0], size[0]);
        Arrays.sort(prints);
        List<Prints> lines = new ArrayList<>();
        Prints.Builder builder = new Prints.Builder();
        int at = 0;
        for (int bucket = differ.nextSetBit(0); bucket >= 0; bucket = differ.nextSetBit(bucket + 1)) {
            if (builder.size() >= PRINTS_BYTES_PER_LINE) {
                lines.add(builder.build());
                builder = new Prints.Builder();
            }
            builder.bucket(bucket);
            for (int i = 0; i < counts[bucket]; i++, at++) {
                if (builder.size() >= PRINTS_BYTES_PER_LINE || !builder.print((int) prints[at])) {
                    lines.add(builder.build());
                    builder = new Prints.Builder();
                    builder.bucket(bucket);
                    builder.print((int) prints[at]);
                }
            }
        }
        if (builder.size() > 0) {
            lines.add(builder.build());
        }
        lines.add(Prints.END);
        return lines;
    }

    /**
     * Takes a line of a peer's sums on its link ({@code ctx}); once the last is in, writes this server's
     * fingerprints in the buckets that differ, walking the store on {@code comparisons} (off the event
     * loop; Netty hands the writes over). Sums that do not fit the comparison close the link.
     */
    void take(ChannelHandlerContext ctx, Sums sums, String peer, Executor comparisons) {
        Differences differences;
        try {
            differences = take(sums);
        } catch (IllegalArgumentException e) {
            LOG.warn("peer link from {} at {}: {}; closing", peer, ctx.channel().remoteAddress(), e.getMessage());
            ctx.close();
            return;
        }
        if (differences == null) {
            return;
        }
        comparisons.execute(() -> {
            List<Prints> prints = prints(replica, differences);
            if (!ctx.channel().isActive()) {
                return;
            }
            for (Prints line : prints) {
                ctx.write(line, ctx.voidPromise());
            }
            ctx.flush();
            LOG.debug("peer link from {}: compared stores; {} buckets differ", peer, differences.count());
        });
    }
}
