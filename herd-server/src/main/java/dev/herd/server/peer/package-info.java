/**
 * Links between servers: the peer port (the accepting side of the handshake), each outbound link with
 * its watchdog, handshake, output queue and store comparisons, and the flood of updates over them.
 */
package dev.herd.server.peer;
