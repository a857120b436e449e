package dev.herd.server;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.protocol.MessageParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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
    void everyOrderOfTheSameUpdatesEndsWithTheSameRecord() {
        List<At> updates = new ArrayList<>(List.of(
                at("AT Hill +0.100000000 kiwi +1+1 5"),
                at("AT Smith +0.200000000 kiwi +2+2 5.0"),
                at("AT Jaquez +0.300000000 kiwi +3+3 5.000"),
                at("AT Campbell +0.400000000 kiwi +4+4 4")));
        String winner = null;
        for (int round = 0; round < 50; round++) {
            Collections.shuffle(updates, new java.util.Random(round));
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
}
