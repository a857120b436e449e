/** Netty codecs for the protocol: line framing with a length limit, and messages to and from lines. */
package dev.herd.protocol.codec;
