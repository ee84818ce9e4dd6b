package io.livedesk.bench.live;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
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
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One simulated viewer: a WebSocket on one node, signed in with a viewer token, watching one broadcast. It
 * reads the frames it gets as bytes ({@link Frames}) and hands what it learns to {@link Events}, on its
 * channel's event loop. Thousands share a couple of event loop threads: no thread per viewer.
 */
final class Viewer extends SimpleChannelInboundHandler<TextWebSocketFrame> {

    /** What the benchmark does with a viewer's life and frames; called on the viewer's event loop. */
    interface Events {
        void welcomed(Viewer v, long connectToWelcomeNs);

        void joined(Viewer v, long joinToJoinedNs, long count);

        void firstCount(Viewer v, long joinToFirstCountNs);

        void stats(Viewer v, long viewers, long likes, long ns);

        void chatSeen(Viewer v, int seq, long ns);

        void acked(Viewer v, String id, long ns);

        void error(Viewer v, String id, String code);

        /** Before joining: connect, upgrade, hello or the join itself failed. */
        void failed(Viewer v, String why);

        /** The connection closed after the viewer joined, not by the benchmark. */
        void lost(Viewer v);
    }

    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

    final int index;
    final int node;
    final boolean sampled;
    private final String token;
    private final String broadcastId;
    private final Events events;
    private final boolean joinOnWelcome;
    private final long pingIntervalMs;
    private final FirstCount firstCount = new FirstCount();

    private volatile Channel channel;
    private volatile boolean welcomed;
    private volatile boolean joined;
    private volatile boolean settled;
    private volatile boolean closing;
    private long connectNs;
    private long joinSentNs;
    private ScheduledFuture<?> pinger;
    private long counter;

    /** Counted while the benchmark's window is open (single writer: the event loop). */
    volatile int statsInWindow;
    long lastStatsNs;

    Viewer(int index, int node, String token, String broadcastId, Events events, boolean joinOnWelcome,
           long pingIntervalMs, boolean sampled) {
        this.index = index;
        this.node = node;
        this.token = token;
        this.broadcastId = broadcastId;
        this.events = events;
        this.joinOnWelcome = joinOnWelcome;
        this.pingIntervalMs = pingIntervalMs;
        this.sampled = sampled;
    }

    void connect(Bootstrap base, URI uri) {
        connectNs = System.nanoTime();
        WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .version(WebSocketVersion.V13)
                .generateOriginHeader(false)
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .maxFramePayloadLength(1 << 20)
                .withUTF8Validator(false) // it reads every byte of every frame: half the generator's CPU at 10,000 viewers
                .handshakeTimeoutMillis(20_000)
                .build();
        ChannelFuture f = base.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(4096, 8192, 8192));
                ch.pipeline().addLast(new HttpObjectAggregator(16 * 1024));
                ch.pipeline().addLast(new WebSocketClientProtocolHandler(ws));
                ch.pipeline().addLast(Viewer.this);
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

    boolean joined() {
        return joined;
    }

    boolean open() {
        Channel c = channel;
        return c != null && c.isActive();
    }

    /** Sends {@code broadcast.join} (from any thread; the clock starts when it is handed to the event loop). */
    void join() {
        Channel c = channel;
        if (c == null) {
            return;
        }
        c.eventLoop().execute(this::sendJoin);
    }

    private void sendJoin() {
        joinSentNs = System.nanoTime();
        firstCount.joinSent(joinSentNs);
        send("{\"type\":\"broadcast.join\",\"id\":\"j\",\"broadcastId\":\"" + broadcastId + "\"}");
    }

    /** Thread-safe: Netty queues writes from other threads onto the channel's event loop. */
    void send(String json) {
        Channel c = channel;
        if (c != null && c.isActive()) {
            c.writeAndFlush(new TextWebSocketFrame(json));
        }
    }

    /** A fresh message id for this viewer (event loop only). */
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
        ByteBuf content = frame.content();
        int len = content.readableBytes();
        byte[] b = SCRATCH.get();
        if (b.length < len) {
            b = new byte[Math.max(len, b.length * 2)];
            SCRATCH.set(b);
        }
        content.getBytes(content.readerIndex(), b, 0, len);
        switch (Frames.type(b, len)) {
            case CHAT_BATCH -> Frames.chatTags(b, len, seq -> events.chatSeen(this, seq, now));
            case STATS -> {
                long viewers = Frames.number(b, len, Frames.VIEWERS);
                long likes = Frames.number(b, len, Frames.LIKES);
                events.stats(this, viewers, likes, now);
                long first = firstCount.stats(viewers, now);
                if (first >= 0) {
                    events.firstCount(this, first);
                }
            }
            case JOINED -> {
                long count = Frames.number(b, len, Frames.VIEWERS);
                joined = true;
                settled = true;
                events.joined(this, now - joinSentNs, count);
                long first = firstCount.joined(count, now);
                if (first >= 0) {
                    events.firstCount(this, first);
                }
            }
            case WELCOME -> {
                welcomed = true;
                if (pingIntervalMs > 0) {
                    long firstPing = 1 + (long) (Math.random() * pingIntervalMs);
                    pinger = ctx.executor().scheduleAtFixedRate(() -> send("{\"type\":\"ping\",\"id\":\"p\"}"),
                            firstPing, pingIntervalMs, TimeUnit.MILLISECONDS);
                }
                events.welcomed(this, now - connectNs);
                if (joinOnWelcome) {
                    sendJoin();
                }
            }
            case ACK -> events.acked(this, field(b, len, "\"id\":\""), now);
            case ERROR -> {
                String id = field(b, len, "\"id\":\"");
                String code = field(b, len, "\"code\":\"");
                if (!welcomed) {
                    fail("hello: " + code);
                    ctx.close();
                } else if (!joined && "j".equals(id)) {
                    fail("join: " + code);
                } else {
                    events.error(this, id, code);
                }
            }
            default -> {
                // pong, broadcast.state, broadcast.card, ...: nothing to measure
            }
        }
    }

    /** A string field of a rare frame (ack, error), decoded only then. */
    private static String field(byte[] b, int len, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        int i = Frames.indexOf(b, len, n, 0);
        if (i < 0) {
            return null;
        }
        int start = i + n.length;
        int end = start;
        while (end < len && b[end] != '"') {
            end++;
        }
        return new String(b, start, end - start, StandardCharsets.UTF_8);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (pinger != null) {
            pinger.cancel(false);
        }
        if (joined) {
            if (!closing) {
                events.lost(this);
            }
        } else {
            fail(closing ? "closed by the benchmark before joining" : "closed before joining");
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!joined) {
            fail("upgrade: " + reason(cause));
        }
        ctx.close();
    }

    private void fail(String why) {
        if (settled) {
            return;
        }
        settled = true;
        events.failed(this, why);
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
