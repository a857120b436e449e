package dev.herd.server.internal;

import dev.herd.protocol.codec.HerdCodec;

/** The names of every handler in the server's pipelines, in pipeline order. */
public final class HerdPipeline {
    /** Client connections: idle detection, framer, decoder, handler; encoder on the way out. */
    public static final String IDLE = "idle";
    /** Client connections: a line started must be finished in time. */
    public static final String LINE_DEADLINE = "line-deadline";
    public static final String FRAMER = HerdCodec.FRAMER;
    public static final String DECODER = HerdCodec.DECODER;
    public static final String ENCODER = HerdCodec.ENCODER;
    public static final String HANDLER = "herd";

    /** Connections on the peer port: idle detection, the codec, then the inbound peer handler. */
    public static final String PEER = "peer";

    /** Outbound peer links. */
    public static final String PEER_SINK = "peer-sink";

    /** Places HTTP client. */
    public static final String TLS = "tls";
    public static final String HTTP_CODEC = "http-codec";
    public static final String HTTP_DECOMPRESSOR = "http-decompressor";
    public static final String HTTP_AGGREGATOR = "http-aggregator";
    public static final String PLACES_RESPONSE = "places-response";

    /** Admin HTTP endpoint: read timeout, HTTP codec, keep-alive, aggregator, the admin handler. */
    public static final String READ_TIMEOUT = "read-timeout";
    public static final String HTTP_KEEP_ALIVE = "http-keep-alive";
    public static final String ADMIN = "admin";

    private HerdPipeline() {
    }
}
