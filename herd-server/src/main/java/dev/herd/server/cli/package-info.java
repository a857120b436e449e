/**
 * What {@code ./herd} runs beside the servers: the topology's server names and addresses, a status table
 * of the herd ({@code HerdTool}), and a client for people ({@code HerdCli}).
 */
package dev.herd.server.cli;
