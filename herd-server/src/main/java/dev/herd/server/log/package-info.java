/**
 * Writing the logs: the protocol log of every line in and out (per-thread buffers, one writer thread,
 * rotation by size) and the event log before and after log4j2 starts. The bottom layer: it imports no
 * other package of the server.
 */
package dev.herd.server.log;
