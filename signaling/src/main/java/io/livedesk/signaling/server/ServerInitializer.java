package io.livedesk.signaling.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.TimeUnit;

/** The pipeline of every connection: HTTP, the WebSocket upgrade at /ws, then either frames or REST. */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {
    public static final String WS_PATH = "/ws";
    private static final int MAX_HTTP_BODY = 64 * 1024;

    private final NodeContext node;
    // Stateless, so one of each serves every connection: tens of thousands of idle sessions each save them.
    private final OriginGuard originGuard;
    private final HttpRequestHandler httpRequests;
    private final WebSocketServerProtocolConfig wsConfig;

    public ServerInitializer(NodeContext node) {
        this.node = node;
        var ws = node.config().websocket();
        this.originGuard = new OriginGuard(WS_PATH, ws.allowedOrigins());
        this.httpRequests = new HttpRequestHandler(node);
        this.wsConfig = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(WS_PATH)
                .checkStartsWith(false)
                .maxFramePayloadLength(ws.maxFrameBytes())
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .handshakeTimeoutMillis(10_000)
                .build();
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        var ws = node.config().websocket();
        ChannelPipeline p = ch.pipeline();
        p.addLast(new IdleStateHandler(ws.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        p.addLast(new HttpServerCodec(8192, 16 * 1024, 8192));
        p.addLast(new HttpObjectAggregator(MAX_HTTP_BODY));
        p.addLast(originGuard);
        p.addLast(new WebSocketServerProtocolHandler(wsConfig));
        p.addLast(new WebSocketFrameAggregator(ws.maxFrameBytes()));
        p.addLast(new WebSocketFrameHandler(node));
        p.addLast(httpRequests);
    }
}
