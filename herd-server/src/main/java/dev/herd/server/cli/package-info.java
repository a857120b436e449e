/** What {@code ./herd} asks of a topology (its server names, a status table of the herd), run beside the servers. */
package dev.herd.server.cli;
