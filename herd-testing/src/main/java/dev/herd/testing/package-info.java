/**
 * Test helpers that need no server, for the server's own tests and for users' (through herd-testkit):
 * a line client with read timeouts, a scripted Places endpoint, bounded waits and reply assertions.
 */
package dev.herd.testing;
