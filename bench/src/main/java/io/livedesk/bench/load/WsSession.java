package io.livedesk.bench.load;

import io.livedesk.bench.BenchSocket;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.util.concurrent.TimeUnit;

/**
 * One load-generator WebSocket session: connects, upgrades, sends {@code hello}, then hands every text
 * frame to its {@link Listener}. Optionally pings on its event loop to stay under the server's idle timeout.
 */
final class WsSession extends BenchSocket {

    enum Kind { IDLE, CUSTOMER, STAFF }

    /** What a phase does with a session's life cycle and frames. Called on the session's event loop. */
    interface Listener {
        void welcomed(WsSession s, long connectToWelcomeNanos);

        /** The session failed before {@code welcome}: connect, upgrade or hello. */
        void failed(WsSession s, String why);

        /** The server answered {@code hello} with {@code overloaded}: it is sent again after the retry-after. */
        void helloRetried(WsSession s);

        void frame(WsSession s, String type, String json, long receivedNanos);

        /** The connection closed after {@code welcome}. */
        void closed(WsSession s);
    }

    final int index;
    final Kind kind;
    final String subject;
    private final Listener listener;

    private volatile boolean welcomed;
    /** Hellos sent again after {@code overloaded} (event loop only). */
    private int helloRetries;
    private static final int MAX_HELLO_RETRIES = 5;

    // Customer state (touched by the scheduler thread and the event loop; handed over through the idle queue).
    volatile int seq = -1;
    volatile String requestId;

    // Staff state (event loop only).
    int offersTaken;
    int pendingAccepts;
    int liveCalls;
    boolean retiring;

    WsSession(int index, Kind kind, String subject, String token, Listener listener, long pingIntervalMs) {
        super(token, pingIntervalMs, true, 15_000);
        this.index = index;
        this.kind = kind;
        this.subject = subject;
        this.listener = listener;
    }

    boolean welcomed() {
        return welcomed;
    }

    boolean active() {
        return welcomed && open();
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
                settle();
                startPinging(ctx);
                listener.welcomed(this, now - connectStartNanos());
                return;
            }
            if (type.equals("error")) {
                String code = Json.str(json, Json.CODE);
                long retryAfterMs = Json.number(json, Json.RETRY_AFTER_MS);
                // As a well-behaved client does: a server shedding a sign-in burst says when to come back.
                if ("overloaded".equals(code) && retryAfterMs >= 0 && helloRetries < MAX_HELLO_RETRIES) {
                    helloRetries++;
                    listener.helloRetried(this);
                    ctx.executor().schedule(() -> sendHello(ctx), retryAfterMs, TimeUnit.MILLISECONDS);
                    return;
                }
                fail("hello: " + code);
                ctx.close();
                return;
            }
        }
        listener.frame(this, type, json, now);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (welcomed) {
            listener.closed(this);
        } else {
            fail(closing() ? "closed by generator before welcome" : "closed before welcome");
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!welcomed) {
            fail("upgrade: " + reason(cause));
        }
        ctx.close();
    }

    @Override
    protected void failed(String why) {
        listener.failed(this, why);
    }
}
