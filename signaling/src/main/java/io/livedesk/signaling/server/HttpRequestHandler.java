package io.livedesk.signaling.server;

import io.livedesk.signaling.protocol.ErrorCode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
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

import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;

/** Plain HTTP requests (everything but the WebSocket upgrade): handed to {@link HttpRoutes} on the worker pool. */
@ChannelHandler.Sharable
public final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final NodeContext node;

    public HttpRequestHandler(NodeContext node) {
        this.node = node;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            write(ctx, request, node.routes().error(ErrorCode.BAD_MESSAGE, 400, "malformed HTTP request"));
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        HttpCall call = new HttpCall(request.method(), uri.path(), uri.parameters(), request.headers().copy(),
                request.content().toString(StandardCharsets.UTF_8));
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean head = request.method().equals(HttpMethod.HEAD);
        HttpCall effective = head ? new HttpCall(HttpMethod.GET, call.path(), call.query(), call.headers(), "") : call;
        if (call.path().equals("/healthz")) {
            // Liveness must answer even when the worker pool is saturated.
            write(ctx, keepAlive, head, HttpReply.json(200, "{\"status\":\"up\"}"));
            return;
        }
        // Metrics are read most when the node is busiest: they skip the latency check (the hard limit stands).
        if (!call.path().equals("/metrics") && !node.admission().admitsCall(node.workers(), System.nanoTime())) {
            write(ctx, keepAlive, false, overloaded());
            return;
        }
        try {
            node.workers().execute(() -> {
                HttpReply reply = node.routes().handle(effective);
                ctx.executor().execute(() -> write(ctx, keepAlive, head, reply));
            });
        } catch (RejectedExecutionException e) {
            write(ctx, keepAlive, false, overloaded());
        }
    }

    private HttpReply overloaded() {
        long seconds = Math.max(1, (node.admission().retryAfter().toMillis() + 999) / 1000);
        return node.routes().error(ErrorCode.OVERLOADED, 503, "the server is busy; try again")
                .withHeader("Retry-After", Long.toString(seconds));
    }

    private void write(ChannelHandlerContext ctx, FullHttpRequest request, HttpReply reply) {
        write(ctx, HttpUtil.isKeepAlive(request), false, reply);
    }

    private void write(ChannelHandlerContext ctx, boolean keepAlive, boolean head, HttpReply reply) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(reply.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
        response.headers().set("X-Content-Type-Options", "nosniff");
        response.headers().set("Referrer-Policy", "same-origin");
        reply.headers().forEach((k, v) -> response.headers().set(k, v));
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
