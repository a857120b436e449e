package dev.herd.server.places;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpResponse;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Completes one Places request from its HTTP response. A body that is JSON with a {@code status} is
 * the answer, whatever the HTTP status (Google sends its errors that way); anything else becomes an
 * {@code UNKNOWN_ERROR} answer. One instance per request, since it holds that request's future.
 */
final class PlacesResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private static final Logger LOG = LogManager.getLogger(PlacesResponseHandler.class);

    private final CompletableFuture<JsonNode> answer;
    private final String source;

    PlacesResponseHandler(CompletableFuture<JsonNode> answer, String source) {
        this.answer = answer;
        this.source = source;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
        int code = response.status().code();
        String body = response.content().toString(StandardCharsets.UTF_8);
        JsonNode json = null;
        try {
            json = PlacesJson.parse(body);
        } catch (JsonProcessingException e) {
            LOG.debug("places answer from {} is not JSON: {}", source, e.getOriginalMessage());
        }
        if (json != null && json.isObject() && PlacesJson.status(json) != null) {
            String status = PlacesJson.status(json);
            if (!"OK".equals(status) && !"ZERO_RESULTS".equals(status)) {
                LOG.warn("places source {} answered HTTP {} with status {}", source, code, status);
            }
            answer.complete(json);
        } else {
            fail("HTTP " + code + " without a Places answer");
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail("connection closed before a full answer");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(describe(cause));
        ctx.close();
    }

    private void fail(String reason) {
        if (answer.complete(PlacesJson.error("UNKNOWN_ERROR", "Places request failed: " + reason))) {
            LOG.warn("places request to {} failed: {}", source, reason);
        }
    }

    /** A short reason that names neither the URL nor the key. */
    static String describe(Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof ConnectTimeoutException) {
            return "connect timed out";
        }
        if (root instanceof ConnectException) {
            return "connection refused";
        }
        if (root instanceof SSLException) {
            return "TLS failed (" + root.getClass().getSimpleName() + ")";
        }
        if (root instanceof TooLongFrameException) {
            return "answer larger than " + PlacesClientInitializer.MAX_RESPONSE_BYTES + " bytes";
        }
        if (root instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        return root.getClass().getSimpleName();
    }
}
