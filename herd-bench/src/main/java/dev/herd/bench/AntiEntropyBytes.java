package dev.herd.bench;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.protocol.ClientTime;
import dev.herd.protocol.Location;
import dev.herd.protocol.MessageParser;
import dev.herd.protocol.TimeDiff;
import dev.herd.server.peer.StoreComparison;
import dev.herd.server.store.LocationStore;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What anti-entropy sends when two stores of N clients differ in a share of them: fills a sender and a
 * receiver store with the same realistic records (ids, locations, times as in {@link StoreMemory}),
 * except that for the chosen share the receiver holds an older report (half of them) or nothing, then
 * runs one comparison through the protocol's lines and prints the bytes of each kind against the bytes
 * of the differing records themselves. Also times the comparison.
 *
 * <pre>java -cp herd-bench/target/herd-bench.jar dev.herd.bench.AntiEntropyBytes 1000000 0.01</pre>
 */
public final class AntiEntropyBytes {
    private AntiEntropyBytes() {
    }

    public static void main(String[] args) {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        double share = args.length > 1 ? Double.parseDouble(args[1]) : 0.01;
        LocationStore sender = new LocationStore();
        LocationStore receiver = new LocationStore();
        SplittableRandom random = new SplittableRandom(2026);
        long differBytes = 0;
        int differ = 0;
        for (int i = 0; i < clients; i++) {
            At record = record(i, 1621464827L);
            sender.offer(record);
            if (random.nextDouble() < share) {
                differ++;
                differBytes += record.canonicalLine().length() + 1;
                if (random.nextBoolean()) {
                    receiver.offer(record(i, 1621460000L));
                }
            } else {
                receiver.offer(record);
            }
        }
        long start = System.nanoTime();
        int[] delivered = {0};
        StoreComparison.Cost cost = StoreComparison.run(sender, receiver, random.nextInt(), line -> {
            receiver.offer((At) MessageParser.parse(line));
            delivered[0]++;
        });
        double ms = (System.nanoTime() - start) / 1e6;
        System.out.printf(Locale.ROOT, "%d clients, %d differ (%.2f%%), their lines %d bytes%n", clients, differ,
                100.0 * differ / clients, differBytes);
        System.out.printf(Locale.ROOT, "buckets %d, differing %d; sent: sums %d, prints %d, records %d (%d records) = %d bytes%n",
                cost.buckets(), cost.differing(), cost.sumsBytes(), cost.printsBytes(), cost.recordBytes(), cost.records(),
                cost.total());
        System.out.printf(Locale.ROOT, "ratio to the differing records' own bytes: %.2fx; comparison %.0f ms in-process;"
                + " stores agree afterwards: %s%n", cost.total() / (double) differBytes, ms,
                sender.digest().sameRecordsAs(receiver.digest()));
    }

    private static At record(int i, long seconds) {
        String location = String.format(Locale.ROOT, "%+.6f%+.6f", 34 + (i % 1000) / 1000.0, -118 - (i % 997) / 1000.0);
        ClientTime time = ClientTime.parse(seconds + "." + (100_000_000 + i));
        return At.of("Hill", TimeDiff.between(seconds + 1, 0, time), Bytes.utf8("client-" + i + ".cs.ucla.edu"),
                Location.parse(location), time);
    }
}
