/**
 * The herd simulator: N real servers in one JVM (the testkit's in-process herd) on a generated
 * topology, a workload of updates, link faults on a schedule, and what flooding cost: link messages and
 * bytes per update, duplicates, time to reach every server, updates lost, load per server.
 */
package dev.herd.sim;
