package dev.herd.load;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** What the generator sends: requests by the mix, over a fixed set of client ids and locations. */
final class Workload {
    enum Kind { IAMAT, WHATSAT, BAD }

    /** One request: its bytes, and what its reply must echo. */
    record Request(Kind kind, byte[] line, String echo) {
    }

    private final String[] clientIds;
    private final String[] locations;
    private final LoadOptions options;

    Workload(LoadOptions options) {
        this.options = options;
        String prefix = "hl" + Long.toHexString(System.nanoTime() & 0xffffff) + "-";
        clientIds = new String[options.clients()];
        locations = new String[options.clients()];
        for (int i = 0; i < clientIds.length; i++) {
            clientIds[i] = prefix + i;
            // Spread over the Los Angeles basin, where the offline data is dense.
            double lat = 33.7 + (i % 97) * 0.008;
            double lng = -118.6 + (i % 89) * 0.009;
            locations[i] = String.format(Locale.ROOT, "%+.6f%+.6f", lat, lng);
        }
    }

    int clients() {
        return clientIds.length;
    }

    /** The IAMAT that introduces client {@code i} to the herd before the load starts. */
    Request prime(int i) {
        return iamat(i);
    }

    Request next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int roll = random.nextInt(100);
        int i = random.nextInt(clientIds.length);
        if (roll < options.iamatPercent()) {
            return iamat(i);
        }
        if (roll < options.iamatPercent() + options.whatsatPercent()) {
            String line = "WHATSAT " + clientIds[i] + " " + options.radius() + " " + options.bound() + "\n";
            return new Request(Kind.WHATSAT, line.getBytes(StandardCharsets.UTF_8), null);
        }
        String bad = "HELLO " + clientIds[i] + " " + random.nextInt(1000);
        return new Request(Kind.BAD, (bad + "\n").getBytes(StandardCharsets.UTF_8), "? " + bad);
    }

    private Request iamat(int i) {
        long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        StringBuilder fields = new StringBuilder(64).append(clientIds[i]).append(' ').append(locations[i]).append(' ')
                .append(micros / 1_000_000).append('.');
        String fraction = Long.toString(micros % 1_000_000);
        for (int pad = fraction.length(); pad < 6; pad++) {
            fields.append('0');
        }
        fields.append(fraction);
        return new Request(Kind.IAMAT, ("IAMAT " + fields + "\n").getBytes(StandardCharsets.UTF_8), " " + fields);
    }
}
