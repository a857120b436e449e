package dev.herd.server.places;

import dev.herd.server.places.NearbySearchApi.Outcome;
import dev.herd.server.places.NearbySearchApi.Retry;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpResponse;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;

/**
 * Completes one Places exchange from its HTTP response, read by the API it was asked in; a connection
 * that fails or closes first is a passing fault. One instance per exchange, since it holds that
 * exchange's future.
 */
final class PlacesResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final CompletableFuture<Outcome> outcome;
    private final NearbySearchApi api;

    PlacesResponseHandler(CompletableFuture<Outcome> outcome, NearbySearchApi api) {
        this.outcome = outcome;
        this.api = api;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
        outcome.complete(api.interpret(response.status().code(), response.content().toString(StandardCharsets.UTF_8)));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        outcome.complete(Outcome.of(PlacesJson.failure("connection closed before a full answer"), Retry.SOON));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        outcome.complete(Outcome.of(PlacesJson.failure(describe(cause)), Retry.SOON));
        ctx.close();
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
        if (root instanceof UnknownHostException) {
            return "unknown host";
        }
        return root.getClass().getSimpleName();
    }
}
