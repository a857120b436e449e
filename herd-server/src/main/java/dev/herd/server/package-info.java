/**
 * One server of the herd and its life: {@link dev.herd.server.Main} reads the command line and starts
 * it; {@link dev.herd.server.HerdServer} binds, serves and stops, building its parts in order. The top
 * layer: no other package of the server imports it.
 */
package dev.herd.server;
