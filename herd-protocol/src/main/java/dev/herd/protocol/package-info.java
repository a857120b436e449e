/**
 * The herd's protocol: immutable messages, the one parser and the one formatter of lines, and the
 * command vocabulary ({@link dev.herd.protocol.Command}). No dependency on the server.
 */
package dev.herd.protocol;
