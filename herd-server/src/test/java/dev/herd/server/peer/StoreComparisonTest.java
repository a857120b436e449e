package dev.herd.server.peer;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.protocol.MessageParser;
import dev.herd.server.store.LocationStore;
import dev.herd.server.store.Replica;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Anti-entropy between two stores, run through the protocol's lines: the receiver ends up holding
 * everything the sender holds, and what goes over the link is about the size of the difference, not of
 * the stores.
 */
class StoreComparisonTest {

    private static At at(String id, long time) {
        return (At) MessageParser.parse("AT Hill +0.263873386 " + id + " +34.068930-118.445127 " + time + ".959498503");
    }

    private static void offer(LocationStore store, byte[] line) {
        store.offer((At) MessageParser.parse(line));
    }

    @Test
    void equalStoresSendOnlySums() {
        LocationStore a = new LocationStore();
        LocationStore b = new LocationStore();
        for (int i = 0; i < 1000; i++) {
            a.offer(at("client-" + i, 1000 + i));
            b.offer(at("client-" + i, 1000 + i));
        }
        StoreComparison.Cost cost = StoreComparison.run(a, b, 42, line -> { });
        assertThat(cost.differing()).isZero();
        assertThat(cost.records()).isZero();
        assertThat(cost.printsBytes()).isEqualTo("PRINTS end\n".length());
    }

    @Test
    void anEmptyReceiverGetsEveryRecord() {
        LocationStore a = new LocationStore();
        LocationStore b = new LocationStore();
        for (int i = 0; i < 5000; i++) {
            a.offer(at("client-" + i, 1000 + i));
        }
        StoreComparison.Cost cost = StoreComparison.run(a, b, 7, line -> offer(b, line));
        assertThat(cost.records()).isEqualTo(5000);
        assertThat(b.digest()).isEqualTo(a.digest());
    }

    @Test
    void aReceiverMissingOrBehindOnOnePercentGetsJustThoseAndAgreesAfterwards() {
        LocationStore a = new LocationStore();
        LocationStore b = new LocationStore();
        SplittableRandom random = new SplittableRandom(1);
        int n = 100_000;
        int differ = 0;
        long differBytes = 0;
        for (int i = 0; i < n; i++) {
            At record = at("client-" + i + ".cs.ucla.edu", 1_621_464_000L + i);
            a.offer(record);
            if (random.nextInt(100) == 0) {
                differ++;
                differBytes += record.canonicalLine().length() + 1;
                if (random.nextBoolean()) {
                    b.offer(at("client-" + i + ".cs.ucla.edu", 1_000_000_000L + i)); // an older report
                }
            } else {
                b.offer(record);
            }
        }
        // Records the receiver has and the sender lacks are not the sender's to send: its own link does that.
        b.offer(at("only-on-b", 5));
        int[] delivered = {0};
        StoreComparison.Cost cost = StoreComparison.run(a, b, 0x5eed, line -> {
            offer(b, line);
            delivered[0]++;
        });
        assertThat(cost.records()).isEqualTo(differ);
        assertThat(delivered[0]).isEqualTo(differ);
        for (int i = 0; i < n; i++) {
            String id = "client-" + i + ".cs.ucla.edu";
            assertThat(b.get(Bytes.utf8(id)).line())
                    .isEqualTo(a.get(Bytes.utf8(id)).line());
        }
        // The difference, not the store: within 3x of the differing records' own bytes.
        assertThat(cost.total()).isLessThan(3 * differBytes);
        // And a second comparison finds nothing left.
        StoreComparison.Cost again = StoreComparison.run(a, b, 0x5eee, line -> { });
        assertThat(again.records()).isZero();
    }

    @Test
    void aCollisionThatHidesADifferenceInOneComparisonDoesNotHideItInTheNext() {
        // The salt picks the sums' 32-bit window and the fingerprints: two salts never agree on all of them.
        long[] finest = new long[Replica.BUCKETS];
        finest[5] = 1L << 40;
        int[] low = BucketSums.fold(finest, 4, 0);
        int[] high = BucketSums.fold(finest, 4, 20);
        assertThat(low[0]).isZero();
        assertThat(high[0]).isNotZero();
        assertThat(BucketSums.fingerprint(99, 1)).isNotEqualTo(BucketSums.fingerprint(99, 2));
    }

    @Test
    void bucketsAreSizedToAboutSixteenRecordsUpToTheFinest() {
        assertThat(BucketSums.bitsFor(0)).isZero();
        assertThat(BucketSums.bitsFor(16)).isZero();
        assertThat(BucketSums.bitsFor(17)).isEqualTo(1);
        assertThat(BucketSums.bitsFor(100_000)).isEqualTo(13);
        assertThat(BucketSums.bitsFor(100_000_000)).isEqualTo(16);
    }
}
