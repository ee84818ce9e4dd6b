package io.livedesk.bench;

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
 * One simulated client's WebSocket, as every load generator here needs it: connects and upgrades, sends
 * {@code hello} with its token, pings on its event loop once told to (to stay under the server's idle
 * timeout), and reports a failure before it settled once. Subclasses read the frames.
 */
public abstract class BenchSocket extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    private final String token;
    private final long pingIntervalMs;
    private final boolean validateUtf8;
    private final int handshakeTimeoutMs;

    private volatile Channel channel;
    private volatile boolean settled;
    private volatile boolean closing;
    private long connectStartNanos;
    private ScheduledFuture<?> pinger;
    private long counter;

    /**
     * @param validateUtf8 false where the generator reads every byte of every frame itself (Netty's check
     *                     would double that cost)
     */
    protected BenchSocket(String token, long pingIntervalMs, boolean validateUtf8, int handshakeTimeoutMs) {
        this.token = token;
        this.pingIntervalMs = pingIntervalMs;
        this.validateUtf8 = validateUtf8;
        this.handshakeTimeoutMs = handshakeTimeoutMs;
    }

    public void connect(Bootstrap base, URI uri) {
        connectStartNanos = System.nanoTime();
        WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .generateOriginHeader(false)
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .maxFramePayloadLength(1 << 20)
                .withUTF8Validator(validateUtf8)
                .handshakeTimeoutMillis(handshakeTimeoutMs)
                .build();
        ChannelFuture f = base.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(4096, 8192, 8192));
                ch.pipeline().addLast(new HttpObjectAggregator(16 * 1024));
                ch.pipeline().addLast(new WebSocketClientProtocolHandler(ws));
                ch.pipeline().addLast(BenchSocket.this);
            }
        }).connect(uri.getHost(), uri.getPort());
        channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                fail("connect: " + reason(done.cause()));
            }
        });
    }

    /** When {@link #connect} started, for connect-to-welcome times. */
    protected long connectStartNanos() {
        return connectStartNanos;
    }

    public Channel channel() {
        return channel;
    }

    public boolean open() {
        Channel c = channel;
        return c != null && c.isActive();
    }

    /** Thread-safe: Netty queues writes from other threads onto the channel's event loop. */
    public void send(String json) {
        Channel c = channel;
        if (c != null && c.isActive()) {
            c.writeAndFlush(new TextWebSocketFrame(json));
        }
    }

    /** A fresh message id for this socket (event loop only). */
    public String nextId(char prefix) {
        return prefix + Long.toString(++counter);
    }

    public ChannelFuture close() {
        closing = true;
        Channel c = channel;
        return c == null ? null : c.close();
    }

    /** Whether the generator closed it (rather than the server or the network). */
    public boolean closing() {
        return closing;
    }

    /** Starts the pings (after {@code welcome}), at a random phase so thousands do not ping at once. */
    protected void startPinging(ChannelHandlerContext ctx) {
        if (pingIntervalMs > 0) {
            long first = 1 + (long) (Math.random() * pingIntervalMs);
            pinger = ctx.executor().scheduleAtFixedRate(() -> send("{\"type\":\"ping\",\"id\":\"p\"}"),
                    first, pingIntervalMs, TimeUnit.MILLISECONDS);
        }
    }

    /** It settled (succeeded, as far as failures before settling go): later failures are not reported. */
    protected void settle() {
        settled = true;
    }

    /** Reports the failure unless it already settled. */
    protected void fail(String why) {
        if (settled) {
            return;
        }
        settled = true;
        failed(why);
    }

    /** The socket failed before it settled: connect, upgrade, hello, or whatever the subclass waits for. */
    protected abstract void failed(String why);

    /** Signs in with the token (again, after the server asked to retry later). */
    protected void sendHello(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"hello\",\"id\":\"h\",\"token\":\"" + token + "\"}"));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            sendHello(ctx);
        } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            fail("handshake timeout");
            ctx.close();
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (pinger != null) {
            pinger.cancel(false);
        }
        super.channelInactive(ctx);
    }

    protected static String reason(Throwable t) {
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
