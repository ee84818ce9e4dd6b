package io.livedesk.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * One load-generator WebSocket session: connects, upgrades, sends {@code hello}, then hands every text
 * frame to its {@link Listener}. Optionally pings on its event loop to stay under the server's idle timeout.
 */
final class WsSession extends SimpleChannelInboundHandler<TextWebSocketFrame> {

    enum Kind { IDLE, CUSTOMER, STAFF }

    /** What a phase does with a session's life cycle and frames. Called on the session's event loop. */
    interface Listener {
        void welcomed(WsSession s, long connectToWelcomeNanos);

        /** The session failed before {@code welcome}: connect, upgrade or hello. */
        void failed(WsSession s, String why);

        void frame(WsSession s, String type, String json, long receivedNanos);

        /** The connection closed after {@code welcome}. */
        void closed(WsSession s);
    }

    final int index;
    final Kind kind;
    final String subject;
    private final String token;
    private final Listener listener;
    private final long pingIntervalMs;

    private volatile Channel channel;
    private volatile boolean welcomed;
    private volatile boolean settled;
    private volatile boolean closing;
    private long connectStartNanos;
    private ScheduledFuture<?> pinger;
    private long counter;

    // Customer state (touched by the scheduler thread and the event loop; handed over through the idle queue).
    volatile int seq = -1;
    volatile String requestId;

    // Staff state (event loop only).
    int offersTaken;
    int pendingAccepts;
    int liveCalls;
    boolean retiring;

    WsSession(int index, Kind kind, String subject, String token, Listener listener, long pingIntervalMs) {
        this.index = index;
        this.kind = kind;
        this.subject = subject;
        this.token = token;
        this.listener = listener;
        this.pingIntervalMs = pingIntervalMs;
    }

    void connect(Bootstrap base, URI uri) {
        connectStartNanos = System.nanoTime();
        WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .generateOriginHeader(false)
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .maxFramePayloadLength(1 << 20)
                .handshakeTimeoutMillis(15_000)
                .build();
        ChannelFuture f = base.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(4096, 8192, 8192));
                ch.pipeline().addLast(new HttpObjectAggregator(16 * 1024));
                ch.pipeline().addLast(new WebSocketClientProtocolHandler(ws));
                ch.pipeline().addLast(WsSession.this);
            }
        }).connect(uri.getHost(), uri.getPort());
        channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                fail("connect: " + reason(done.cause()));
            }
        });
    }

    boolean welcomed() {
        return welcomed;
    }

    boolean active() {
        Channel c = channel;
        return welcomed && c != null && c.isActive();
    }

    Channel channel() {
        return channel;
    }

    /** Thread-safe: Netty queues writes from other threads onto the channel's event loop. */
    void send(String json) {
        Channel c = channel;
        if (c != null && c.isActive()) {
            c.writeAndFlush(new TextWebSocketFrame(json));
        }
    }

    /** A fresh message id for this session (event-loop use only). */
    String nextId(char prefix) {
        return prefix + Long.toString(++counter);
    }

    ChannelFuture close() {
        closing = true;
        Channel c = channel;
        return c == null ? null : c.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"hello\",\"id\":\"h\",\"token\":\"" + token + "\"}"));
        } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            fail("handshake timeout");
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
        long now = System.nanoTime();
        String json = frame.text();
        String type = Json.str(json, Json.TYPE);
        if (type == null) {
            return;
        }
        if (!welcomed) {
            if (type.equals("welcome")) {
                welcomed = true;
                settled = true;
                if (pingIntervalMs > 0) {
                    long first = 1 + (long) (Math.random() * pingIntervalMs);
                    pinger = ctx.executor().scheduleAtFixedRate(this::ping, first, pingIntervalMs, TimeUnit.MILLISECONDS);
                }
                listener.welcomed(this, now - connectStartNanos);
                return;
            }
            if (type.equals("error")) {
                fail("hello: " + Json.str(json, Json.CODE));
                ctx.close();
                return;
            }
        }
        listener.frame(this, type, json, now);
    }

    private void ping() {
        send("{\"type\":\"ping\",\"id\":\"p\"}");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (pinger != null) {
            pinger.cancel(false);
        }
        if (welcomed) {
            listener.closed(this);
        } else {
            fail(closing ? "closed by generator before welcome" : "closed before welcome");
        }
        super.channelInactive(ctx);
    }

    boolean closing() {
        return closing;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!welcomed) {
            fail("upgrade: " + reason(cause));
        }
        ctx.close();
    }

    private void fail(String why) {
        if (settled) {
            return;
        }
        settled = true;
        listener.failed(this, why);
    }

    private static String reason(Throwable t) {
        if (t == null) {
            return "unknown";
        }
        String m = t.getMessage();
        if (m != null && m.length() > 80) {
            m = m.substring(0, 80);
        }
        return t.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }
}
