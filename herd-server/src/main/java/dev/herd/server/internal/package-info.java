/**
 * Low-level pieces every layer may use: the transport (NIO or epoll), thread naming, pipeline handler
 * names, channel error handling, TLS contexts and the jittered backoff. Imports only the log package.
 */
package dev.herd.server.internal;
