package dev.herd.server.peer;

import dev.herd.protocol.Message;
import dev.herd.protocol.MessageFormatter;
import dev.herd.protocol.MessageParser;
import dev.herd.protocol.Prints;
import dev.herd.protocol.Sums;
import dev.herd.server.store.Replica;

import java.util.List;
import java.util.function.Consumer;

/**
 * One store comparison run in-process, line by line through the protocol's formatter and parser as
 * over a link, counting the bytes each kind of line takes: for tests, and for measuring what
 * anti-entropy costs at a given size (herd-bench's {@code AntiEntropyBytes}).
 */
public final class StoreComparison {
    private StoreComparison() {
    }

    /** What one comparison sent, in bytes on the wire (lines with their line endings). */
    public record Cost(long sumsBytes, long printsBytes, long recordBytes, int records, int buckets, int differing) {
        public long total() {
            return sumsBytes + printsBytes + recordBytes;
        }
    }

    /**
     * Compares {@code receiver} with {@code sender} as {@code sender}'s link would, with bucketing
     * sized for the larger store, and tells {@code deliver} every record line the sender sends.
     */
    public static Cost run(Replica sender, Replica receiver, int salt, Consumer<byte[]> deliver) {
        int bits = BucketSums.bitsFor(Math.max(sender.digest().count(), receiver.digest().count()));
        Round round = new Round(bits, salt, "in-process");
        SumsAnswer answer = new SumsAnswer(receiver);
        long sums = 0;
        long prints = 0;
        for (Sums line : round.open(sender)) {
            byte[] wire = MessageFormatter.toBytes(line);
            sums += wire.length;
            SumsAnswer.Differences differences = answer.take((Sums) parse(wire));
            for (Prints reply : differences == null ? List.<Prints>of() : SumsAnswer.prints(receiver, differences)) {
                byte[] back = MessageFormatter.toBytes(reply);
                prints += back.length;
                Prints parsed = (Prints) parse(back);
                if (!parsed.end()) {
                    round.take(parsed);
                }
            }
        }
        List<byte[]> missing = round.missing(sender);
        long records = 0;
        for (byte[] line : missing) {
            records += line.length + 1;
            deliver.accept(line);
        }
        return new Cost(sums, prints, records, missing.size(), 1 << bits, round.differing());
    }

    private static Message parse(byte[] wire) {
        return MessageParser.parse(wire, 0, wire.length - 1);
    }
}
