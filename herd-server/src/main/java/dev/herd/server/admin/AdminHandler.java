package dev.herd.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herd.server.internal.ChannelErrors;
import dev.herd.server.log.ServerLog;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutException;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Answers the admin endpoint's requests: {@code /metrics}, {@code /health}, {@code /status} and the
 * status page. Read-only and stateless (it asks its {@link ServerView} per request), so one instance
 * serves every connection.
 */
@Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final ServerLog LOG = ServerLog.of(AdminHandler.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String JSON = "application/json; charset=utf-8";

    private final ServerView server;
    private final StaticFiles page;

    AdminHandler(ServerView server, StaticFiles page) {
        this.server = server;
        this.page = page;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws JsonProcessingException {
        if (request.decoderResult().isFailure()) {
            send(ctx, request, text(HttpResponseStatus.BAD_REQUEST, "bad request\n"), false);
            return;
        }
        HttpMethod method = request.method();
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            FullHttpResponse refused = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET and HEAD\n");
            refused.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            send(ctx, request, refused, HttpUtil.isKeepAlive(request));
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        FullHttpResponse response = switch (path) {
            case "/metrics" -> body(HttpResponseStatus.OK, PrometheusText.CONTENT_TYPE,
                    MetricsExposition.of(server).getBytes(StandardCharsets.UTF_8));
            case "/health" -> json(server.serving() && server.problems().isEmpty() ? HttpResponseStatus.OK
                            : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    StatusDocuments.health(server));
            case "/status" -> json(HttpResponseStatus.OK, StatusDocuments.status(server));
            case "/records" -> json(HttpResponseStatus.OK,
                    StatusDocuments.records(server, uri.parameters().getOrDefault("client", List.of())));
            default -> page.get(path)
                    .map(file -> body(HttpResponseStatus.OK, file.contentType(), file.bytes()))
                    .orElseGet(() -> text(HttpResponseStatus.NOT_FOUND,
                            "not found: " + path + " (try /, /metrics, /health, /status or /records?client=ID)\n"));
        };
        // Pages of other servers read /status and /health from here: a read-only, credential-free answer.
        response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        if (method.equals(HttpMethod.HEAD)) {
            response.content().clear();
        }
        send(ctx, request, response, HttpUtil.isKeepAlive(request));
    }

    private static FullHttpResponse json(HttpResponseStatus status, ObjectNode body) throws JsonProcessingException {
        return body(status, JSON, MAPPER.writeValueAsBytes(body));
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        return body(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static FullHttpResponse body(HttpResponseStatus status, String contentType, byte[] bytes) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(bytes));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set("X-Content-Type-Options", "nosniff");
        return response;
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response, boolean keepAlive) {
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ReadTimeoutException) {
            ctx.close();
            return;
        }
        ChannelErrors.logAndClose(LOG, "admin connection", ctx, cause);
    }
}
