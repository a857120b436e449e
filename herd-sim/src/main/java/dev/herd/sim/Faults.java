package dev.herd.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** The links cut and the servers killed during a run, chosen once from the seed. */
record Faults(List<int[]> cut, List<Integer> killed, Duration cutAt, Duration healAt, Duration killAt, Duration restartAt) {
    static Faults plan(Graph graph, SimOptions options, Random random) {
        List<int[]> links = new ArrayList<>(graph.links());
        Collections.shuffle(links, random);
        List<int[]> cut = List.copyOf(links.subList(0, (int) Math.round(links.size() * options.cutFraction())));
        List<Integer> servers = new ArrayList<>();
        for (int s = 0; s < graph.size(); s++) {
            servers.add(s);
        }
        Collections.shuffle(servers, random);
        return new Faults(cut, List.copyOf(servers.subList(0, options.kill())), options.cutAt(), options.healAt(),
                options.killAt(), options.restartAt());
    }
}
