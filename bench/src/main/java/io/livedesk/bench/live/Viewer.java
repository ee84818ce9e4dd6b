package io.livedesk.bench.live;

import io.livedesk.bench.BenchSocket;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.nio.charset.StandardCharsets;

/**
 * One simulated viewer: a WebSocket on one node, signed in with a viewer token, watching one broadcast. It
 * reads the frames it gets as bytes ({@link Frames}) and hands what it learns to {@link Events}, on its
 * channel's event loop. Thousands share a couple of event loop threads: no thread per viewer.
 */
final class Viewer extends BenchSocket {

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
    private final String broadcastId;
    private final Events events;
    private final boolean joinOnWelcome;
    private final FirstCount firstCount = new FirstCount();

    private volatile boolean welcomed;
    private volatile boolean joined;
    private long joinSentNs;

    /** Counted while the benchmark's window is open (single writer: the event loop). */
    volatile int statsInWindow;
    long lastStatsNs;

    Viewer(int index, int node, String token, String broadcastId, Events events, boolean joinOnWelcome,
           long pingIntervalMs, boolean sampled) {
        // It reads every byte of every frame itself: Netty's UTF-8 check would be half the generator's CPU.
        super(token, pingIntervalMs, false, 20_000);
        this.index = index;
        this.node = node;
        this.broadcastId = broadcastId;
        this.events = events;
        this.joinOnWelcome = joinOnWelcome;
        this.sampled = sampled;
    }

    boolean welcomed() {
        return welcomed;
    }

    boolean joined() {
        return joined;
    }

    /** Sends {@code broadcast.join} (from any thread; the clock starts when it is handed to the event loop). */
    void join() {
        Channel c = channel();
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
                settle();
                events.joined(this, now - joinSentNs, count);
                long first = firstCount.joined(count, now);
                if (first >= 0) {
                    events.firstCount(this, first);
                }
            }
            case WELCOME -> {
                welcomed = true;
                startPinging(ctx);
                events.welcomed(this, now - connectStartNanos());
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
        if (joined) {
            if (!closing()) {
                events.lost(this);
            }
        } else {
            fail(closing() ? "closed by the benchmark before joining" : "closed before joining");
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

    @Override
    protected void failed(String why) {
        events.failed(this, why);
    }
}
