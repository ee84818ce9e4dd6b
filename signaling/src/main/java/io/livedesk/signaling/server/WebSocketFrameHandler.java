package io.livedesk.signaling.server;

import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.MessageCodec;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One per WebSocket. On the event loop it only checks size and rate and parses the JSON; the message
 * itself is handled on the worker pool, in order per connection.
 */
public final class WebSocketFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger log = LoggerFactory.getLogger(WebSocketFrameHandler.class);

    private final NodeContext node;
    private ClientConnection connection;

    public WebSocketFrameHandler(NodeContext node) {
        this.node = node;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            // From here on only WebSocket frames flow: the HTTP-only handlers leave the pipeline.
            ctx.pipeline().remove(OriginGuard.class);
            ctx.pipeline().remove(HttpRequestHandler.class);
            var ws = node.config().websocket();
            connection = new ClientConnection("c-" + UUID.randomUUID(), ctx.channel(), node.codec(), node.workers(),
                    new TokenBucket(ws.ratePerSecond(), ws.rateBurst(), System.nanoTime()), node.connections().waitingIndex());
            node.connections().opened(connection);
            ctx.executor().schedule(() -> {
                if (!connection.authenticated() && ctx.channel().isActive()) {
                    node.messages().sendError(connection, null, ErrorCode.UNAUTHENTICATED, "no hello in time");
                    connection.close(4401, "no hello in time");
                }
            }, ws.helloTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } else if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (connection == null) {
            return;
        }
        if (frame instanceof BinaryWebSocketFrame) {
            node.messages().sendError(connection, null, ErrorCode.BINARY_NOT_SUPPORTED, "send JSON text frames");
            return;
        }
        if (!(frame instanceof TextWebSocketFrame text)) {
            return; // ping/pong/close are handled by Netty's protocol handler
        }
        if (!connection.admit(System.nanoTime())) {
            node.messages().sendError(connection, node.codec().requestId(text.content()), ErrorCode.RATE_LIMITED,
                    "too many messages; slow down");
            return;
        }
        if (text.content().readableBytes() > node.config().websocket().maxMessageBytes()) {
            node.messages().sendError(connection, node.codec().requestId(text.content()), ErrorCode.FRAME_TOO_LARGE,
                    "messages are limited to " + node.config().websocket().maxMessageBytes() + " bytes");
            return;
        }
        ClientMessage message;
        try {
            message = node.codec().read(text.text());
        } catch (MessageCodec.InvalidFrame e) {
            node.messages().sendError(connection, e.requestId(), e.code(), e.getMessage());
            return;
        }
        node.metrics().message(message.getClass().getSimpleName());
        ClientConnection c = connection;
        if (!node.admission().admits(message, node.workers(), c.executor(), System.nanoTime())) {
            node.messages().sendOverloaded(c, message.id(), node.admission().retryAfter());
            return;
        }
        try {
            c.executor().executeAsync(() -> node.messages().handle(c, message));
        } catch (RejectedExecutionException e) {
            node.messages().sendOverloaded(c, message.id(), node.admission().retryAfter());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        ClientConnection c = connection;
        if (c != null) {
            try {
                c.executor().execute(() -> {
                    try {
                        node.messages().closed(c);
                    } catch (RuntimeException e) {
                        log.warn("cleaning up a closed connection failed: {}", e.toString());
                    }
                });
            } catch (RejectedExecutionException e) {
                log.warn("could not schedule cleanup of a closed connection; the grace reaper will catch it");
                node.connections().closed(c);
            }
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("websocket error, closing: {}", cause.toString());
        if (cause instanceof TooLongFrameException && ctx.channel().isActive()) {
            // A fragmented message over max-frame-bytes (the aggregator's limit): 1009, as for one big frame.
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.close();
    }
}
