package dev.herd.server.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** One stripe's table, with ids whose hashes collide on purpose: only the id itself tells them apart. */
class StoreStripeTest {
    private static final int SAME_HASH = 7;

    private static byte[] line(String id) {
        return ("AT Hill +0.1 " + id + " +1+1 1").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] id(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    private static void add(StoreStripe stripe, String id) {
        byte[] b = id(id);
        int slot = stripe.slotOf(b, 0, b.length, SAME_HASH);
        assertThat(stripe.lines[slot]).as("%s is new", id).isNull();
        stripe.add(slot, line(id), SAME_HASH, id.hashCode(), 0);
    }

    @Test
    void idsThatArePrefixesOfEachOtherAreDifferentClientsEvenWithTheSameHash() {
        StoreStripe stripe = new StoreStripe();
        add(stripe, "kiwi");
        add(stripe, "kiwi2");
        add(stripe, "kiw");
        add(stripe, "kiwz");
        for (String id : new String[] {"kiwi", "kiwi2", "kiw", "kiwz"}) {
            assertThat(stripe.find(id(id), SAME_HASH)).as(id).isEqualTo(line(id));
        }
        assertThat(stripe.find(id("ki"), SAME_HASH)).isNull();
        assertThat(stripe.find(id("kiwi22"), SAME_HASH)).isNull();
        assertThat(stripe.count).isEqualTo(4);
    }

    @Test
    void anIdIsFoundInsideTheLineItIsPartOf() {
        StoreStripe stripe = new StoreStripe();
        add(stripe, "kiwi");
        byte[] padded = "xxkiwiyy".getBytes(StandardCharsets.UTF_8);
        int slot = stripe.slotOf(padded, 2, 6, SAME_HASH);
        assertThat(stripe.lines[slot]).isEqualTo(line("kiwi"));
    }

    @Test
    void theTableGrowsPastThreeQuartersAndKeepsEveryRecordAndItsDigest() {
        StoreStripe small = new StoreStripe();
        for (int i = 0; i < 12; i++) {
            byte[] b = id("c" + i);
            small.add(small.slotOf(b, 0, b.length, i), line("c" + i), i, 0, 0);
        }
        assertThat(small.lines.length).as("three quarters full: not grown yet").isEqualTo(16);
        StoreStripe stripe = new StoreStripe();
        long digest = 0;
        for (int i = 0; i < 13; i++) {
            String id = "c" + i;
            byte[] b = id(id);
            int slot = stripe.slotOf(b, 0, b.length, i);
            stripe.add(slot, line(id), i, 1L << i, i);
            digest ^= 1L << i;
        }
        assertThat(stripe.lines.length).as("grown at 13 of 16").isEqualTo(32);
        assertThat(stripe.count).isEqualTo(13);
        assertThat(stripe.digest).isEqualTo(digest);
        for (int i = 0; i < 13; i++) {
            assertThat(stripe.find(id("c" + i), i)).isEqualTo(line("c" + i));
            int slot = stripe.slotOf(id("c" + i), 0, ("c" + i).length(), i);
            assertThat((int) stripe.buckets[slot]).as("its bucket moved with it").isEqualTo(i);
        }
    }

    @Test
    void aReplacementChangesTheLineAndTheDigestButNotTheCount() {
        StoreStripe stripe = new StoreStripe();
        add(stripe, "kiwi");
        byte[] b = id("kiwi");
        int slot = stripe.slotOf(b, 0, b.length, SAME_HASH);
        long before = stripe.digest;
        byte[] newer = "AT Hill +0.1 kiwi +2+2 2".getBytes(StandardCharsets.UTF_8);
        stripe.replace(slot, newer, 0x55);
        assertThat(stripe.find(b, SAME_HASH)).isEqualTo(newer);
        assertThat(stripe.digest).isEqualTo(before ^ 0x55);
        assertThat(stripe.count).isEqualTo(1);
    }
}
