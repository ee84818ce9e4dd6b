package io.livedesk.signaling.server;

import io.livedesk.signaling.auth.Principal;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.util.concurrent.Executor;

/**
 * One client's WebSocket on this node: who it is once {@code hello} succeeded, its rate limit, and the
 * serial executor its messages are handled on. Writing is thread-safe (Netty queues writes from other
 * threads onto the channel's event loop).
 */
public final class ClientConnection {
    private final String id;
    private final Channel channel;
    private final SerialExecutor executor;
    private final TokenBucket rateLimit;
    private volatile Principal principal;
    /** The last queue position and state told to a waiting customer, so only changes are sent. */
    private volatile String lastQueueNotice = "";
    private volatile boolean waiting;

    public ClientConnection(String id, Channel channel, Executor pool, TokenBucket rateLimit) {
        this.id = id;
        this.channel = channel;
        this.executor = new SerialExecutor(pool, 256);
        this.rateLimit = rateLimit;
    }

    public String id() {
        return id;
    }

    public Principal principal() {
        return principal;
    }

    public void authenticate(Principal p) {
        this.principal = p;
    }

    public boolean authenticated() {
        return principal != null;
    }

    public SerialExecutor executor() {
        return executor;
    }

    /** Called on the event loop only. */
    boolean admit(long nowNanos) {
        return rateLimit.tryTake(nowNanos);
    }

    public boolean open() {
        return channel.isActive();
    }

    public void sendJson(String json) {
        if (channel.isActive()) {
            channel.writeAndFlush(new TextWebSocketFrame(json));
        }
    }

    public void close(int status, String reason) {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(status, reason))
                    .addListener(f -> channel.close());
        }
    }

    /**
     * Marks this customer as waiting in a queue, so the periodic sweep looks up their place; only
     * waiting customers cost the sweep a store look-up, not every idle connection.
     */
    public void waiting(boolean waiting) {
        this.waiting = waiting;
    }

    public boolean isWaiting() {
        return waiting;
    }

    /** Returns true when the notice differs from the last one sent. */
    public boolean queueNoticeChanged(String notice) {
        if (notice.equals(lastQueueNotice)) {
            return false;
        }
        lastQueueNotice = notice;
        return true;
    }
}
