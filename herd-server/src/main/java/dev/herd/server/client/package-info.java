/**
 * Clients' connections: their pipeline, the answers to IAMAT and WHATSAT in the order asked, and
 * backpressure (lines held while a client does not read, or owes too many replies).
 */
package dev.herd.server.client;
