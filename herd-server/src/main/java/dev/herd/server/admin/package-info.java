/**
 * The admin HTTP endpoint: {@code /metrics} in the Prometheus text format, {@code /health},
 * {@code /status} and the status page, read from a view of the serving server.
 */
package dev.herd.server.admin;
