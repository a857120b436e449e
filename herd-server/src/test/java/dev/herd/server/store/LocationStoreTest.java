package dev.herd.server.store;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.protocol.MessageParser;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class LocationStoreTest {

    private static At at(String line) {
        return (At) MessageParser.parse(line);
    }

    @Test
    void keepsTheNewestRecordByExactClientTime() {
        LocationStore store = new LocationStore();
        assertThat(store.offer(at("AT Hill +0.000000001 kiwi +1+1 100.000000001"))).isTrue();
        assertThat(store.offer(at("AT Smith +0.000000001 kiwi +2+2 100"))).isFalse();
        assertThat(store.offer(at("AT Smith +0.000000001 kiwi +2+2 100.000000002"))).isTrue();
        assertThat(store.offer(at("AT Smith +0.000000001 kiwi +2+2 100.000000002"))).isFalse();
        assertThat(store.get(Bytes.utf8("kiwi")).server()).isEqualTo("Smith");
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void holdsManyClientsWhoseIdsArePrefixesOfEachOther() {
        LocationStore store = new LocationStore();
        for (int i = 0; i < 50_000; i++) {
            assertThat(store.offer(at("AT Hill +0.000000001 k" + i + " +1+1 " + (1000 + i)))).isTrue();
        }
        assertThat(store.size()).isEqualTo(50_000);
        assertThat(store.get(Bytes.utf8("k1")).line().toString()).isEqualTo("AT Hill +0.000000001 k1 +1+1 1001");
        assertThat(store.get(Bytes.utf8("k12345")).time().seconds()).isEqualTo(13345);
        assertThat(store.get(Bytes.utf8("k"))).isNull();
        assertThat(store.get(Bytes.utf8("k50000"))).isNull();
        assertThat(store.offer(at("AT Smith +0.000000001 k7 +2+2 1006"))).isFalse();
        assertThat(store.offer(at("AT Smith +0.000000001 k7 +2+2 1008"))).isTrue();
        assertThat(store.get(Bytes.utf8("k7")).server()).isEqualTo("Smith");
    }

    @Test
    void keepsTheCanonicalLineWhateverBlanksAPeerUsed() {
        LocationStore store = new LocationStore();
        store.offer(at("AT\tHill  +0.000000001 odd +1+1 5 "));
        assertThat(store.get(Bytes.utf8("odd")).line().toString()).isEqualTo("AT Hill +0.000000001 odd +1+1 5");
    }

    @Test
    void theDigestDependsOnTheRecordsNotTheirOrder() {
        LocationStore a = new LocationStore();
        LocationStore b = new LocationStore();
        At x1 = at("AT Hill +0.000000001 x +1+1 1");
        At x2 = at("AT Smith +0.000000001 x +2+2 2");
        At y = at("AT Hill +0.000000001 y +1+1 1");
        a.offer(x1);
        a.offer(x2);
        a.offer(y);
        b.offer(y);
        b.offer(x2);
        b.offer(x1);
        assertThat(a.digest().sameRecordsAs(b.digest())).isTrue();
        assertThat(a.digest().count()).isEqualTo(2);
        b.offer(at("AT Smith +0.000000001 y +3+3 5"));
        assertThat(a.digest().sameRecordsAs(b.digest())).isFalse();
        assertThat(new LocationStore().digest().hash()).isEqualTo("0");
    }

    @Test
    void idsAreBytesNotText() {
        LocationStore store = new LocationStore();
        At emoji = at("AT Hill +0.000000001 🥝 +1+1 5");
        store.offer(emoji);
        assertThat(store.get(Bytes.utf8("🥝")).line()).isEqualTo(emoji.line());
    }

    @Test
    void everyOrderOfTheSameUpdatesEndsWithTheSameRecord() {
        List<At> updates = new ArrayList<>(List.of(
                at("AT Hill +0.100000000 kiwi +1+1 5"),
                at("AT Smith +0.200000000 kiwi +2+2 5.0"),
                at("AT Jaquez +0.300000000 kiwi +3+3 5.000"),
                at("AT Campbell +0.400000000 kiwi +4+4 4")));
        String winner = null;
        for (int round = 0; round < 50; round++) {
            Collections.shuffle(updates, new Random(round));
            LocationStore store = new LocationStore();
            updates.forEach(store::offer);
            String kept = store.get(Bytes.utf8("kiwi")).line().toString();
            if (winner == null) {
                winner = kept;
            }
            assertThat(kept).isEqualTo(winner);
        }
        assertThat(winner).startsWith("AT Smith");
    }

    @Test
    void aFullStoreRefusesNewClientsButStillUpdatesTheOnesItHolds() {
        String first = "AT Hill +0.000000001 kiwi +1+1 100";
        LocationStore store = new LocationStore(2L * (first.length() + LocationStore.RECORD_OVERHEAD));
        assertThat(store.put(at(first))).isEqualTo(LocationStore.Outcome.KEPT);
        assertThat(store.put(at("AT Hill +0.000000001 pear +1+1 100"))).isEqualTo(LocationStore.Outcome.KEPT);
        assertThat(store.put(at("AT Hill +0.000000001 plum +1+1 100"))).isEqualTo(LocationStore.Outcome.FULL);
        assertThat(store.put(at("AT Hill +0.000000001 kiwi +2+2 101"))).isEqualTo(LocationStore.Outcome.KEPT);
        assertThat(store.put(at("AT Hill +0.000000001 kiwi +2+2 99"))).isEqualTo(LocationStore.Outcome.NOT_NEWER);
        assertThat(store.size()).isEqualTo(2);
        assertThat(store.refusedFull()).isEqualTo(1);
        assertThat(store.get(Bytes.utf8("plum"))).isNull();
    }

    @Test
    void theLineHashIsTheOneDocsProtocolMdDefines() {
        Random random = new Random(7);
        for (int n = 0; n <= 40; n++) {
            byte[] line = new byte[n + 3];
            random.nextBytes(line);
            assertThat(RecordLines.lineHash(line, 2, 2 + n)).as("%d bytes", n)
                    .isEqualTo(documented(Arrays.copyOfRange(line, 2, 2 + n)));
        }
    }

    /** docs/protocol.md's words, written out word by word, independently of the store's code. */
    private static long documented(byte[] b) {
        long h = 0x9e3779b97f4a7c15L ^ b.length;
        for (int at = 0; at < b.length; at += 8) {
            long w = 0;
            for (int k = 0; k < 8 && at + k < b.length; k++) {
                w |= (b[at + k] & 0xffL) << (8 * k);
            }
            h = Long.rotateLeft(h ^ (w * 0xff51afd7ed558ccdL), 31) * 0xc4ceb9fe1a85ec53L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        return h ^ (h >>> 33);
    }

    private static At record(String server, String id, String time) {
        return (At) MessageParser.parse("AT " + server + " +0.263873386 " + id + " +34.068930-118.445127 " + time);
    }

    private static int bucketOfId(String id) {
        byte[] b = id.getBytes(StandardCharsets.UTF_8);
        return RecordLines.bucketOf(b, 0, b.length);
    }

    @Test
    void eachBucketsSumIsTheXorOfItsRecordsLineHashesAndFollowsReplacements() {
        LocationStore store = new LocationStore();
        Map<Integer, Long> expected = new HashMap<>();
        List<At> kept = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            kept.add(record("Hill", "c" + i, "100"));
        }
        kept.set(7, record("Smith", "c7", "200"));
        for (int i = 0; i < 300; i++) {
            assertThat(store.offer(record("Hill", "c" + i, "100"))).isTrue();
        }
        assertThat(store.offer(record("Smith", "c7", "200"))).as("a newer record replaces").isTrue();
        for (At at : kept) {
            byte[] line = at.canonicalLine().toByteArray();
            expected.merge(bucketOfId(at.clientId().toString()), RecordLines.lineHash(line, 0, line.length), (a, b) -> a ^ b);
        }
        long[] sums = store.bucketSums();
        assertThat(sums).hasSize(1 << 16);
        for (int b = 0; b < sums.length; b++) {
            assertThat(sums[b]).as("bucket %d", b).isEqualTo(expected.getOrDefault(b, 0L));
        }
    }

    @Test
    void forEachInVisitsExactlyTheRecordsOfTheBucketsAskedFor() {
        LocationStore store = new LocationStore();
        for (int i = 0; i < 500; i++) {
            store.offer(record("Hill", "id-" + i, "100"));
        }
        int bits = 4;
        BitSet wanted = new BitSet();
        wanted.set(3);
        wanted.set(11);
        Set<String> visited = new HashSet<>();
        store.forEachIn(bits, wanted, (bucket, line, lineHash) -> {
            assertThat(wanted.get(bucket)).isTrue();
            assertThat(lineHash).isEqualTo(RecordLines.lineHash(line, 0, line.length));
            assertThat(visited.add(new String(line, StandardCharsets.UTF_8))).as("visited once").isTrue();
        });
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            int coarse = bucketOfId("id-" + i) >>> (16 - bits);
            if (wanted.get(coarse)) {
                expected.add(record("Hill", "id-" + i, "100").canonicalLine().toString());
            }
        }
        assertThat(expected).isNotEmpty();
        assertThat(visited).isEqualTo(expected);
        assertThat(store.snapshotLines()).hasSize(500);
    }

    @Test
    void anIdThatIsAPrefixOfAnotherIsADifferentClient() {
        LocationStore store = new LocationStore();
        assertThat(store.offer(record("Hill", "kiwi", "100"))).isTrue();
        assertThat(store.offer(record("Hill", "kiwi2", "100"))).isTrue();
        assertThat(store.offer(record("Hill", "kiw", "100"))).isTrue();
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.get(Bytes.utf8("kiwi")).clientId()).isEqualTo(Bytes.utf8("kiwi"));
        assertThat(store.get(Bytes.utf8("kiwi2")).clientId()).isEqualTo(Bytes.utf8("kiwi2"));
        assertThat(store.get(Bytes.utf8("ki"))).isNull();
        assertThat(store.offer(record("Smith", "kiwi", "100"))).as("same time, greater line").isTrue();
        assertThat(store.get(Bytes.utf8("kiwi")).server()).isEqualTo("Smith");
        assertThat(store.offer(record("Hill", "kiwi", "100"))).as("same time, lesser line").isFalse();
    }
}
