/** {@code herd-load}: a load generator for a running herd (throughput, latency, propagation). */
package dev.herd.load;
