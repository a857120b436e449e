package dev.herd.bench;

import dev.herd.protocol.At;
import dev.herd.protocol.Bytes;
import dev.herd.protocol.ClientTime;
import dev.herd.protocol.Location;
import dev.herd.protocol.TimeDiff;
import dev.herd.server.store.LocationStore;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * Heap per stored client: fills a location store with N distinct clients (realistic ids, locations
 * and times), then compares the heap after a full GC with the heap before.
 *
 * <pre>java -cp herd-bench/target/herd-bench.jar dev.herd.bench.StoreMemory 1000000</pre>
 */
public final class StoreMemory {
    private StoreMemory() {
    }

    public static void main(String[] args) {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        LocationStore store = new LocationStore();
        for (int i = 0; i < clients; i++) {
            String location = String.format(Locale.ROOT, "%+.6f%+.6f", 34 + (i % 1000) / 1000.0, -118 - (i % 997) / 1000.0);
            ClientTime time = ClientTime.parse("1621464827." + (100_000_000 + i));
            store.offer(At.of("Hill", TimeDiff.between(1621464828L, 0, time), Bytes.utf8("client-" + i + ".cs.ucla.edu"),
                    Location.parse(location), time));
        }
        long after = usedAfterGc(memory);
        System.out.printf(Locale.ROOT, "%d clients stored: %.1f MB of heap, %.0f bytes per client%n",
                store.size(), (after - before) / 1e6, (after - before) / (double) clients);
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
