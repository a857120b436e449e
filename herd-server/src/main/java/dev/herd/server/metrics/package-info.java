/**
 * The server's counters, bumped where things happen without locks, and read by the admin endpoint:
 * lines and replies by command, connections, updates from peers, Places answers and their latency.
 */
package dev.herd.server.metrics;
