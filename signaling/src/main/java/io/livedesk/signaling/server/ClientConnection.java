package io.livedesk.signaling.server;

import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.presence.StaffStatus;
import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.protocol.ServerMessage;
import io.livedesk.signaling.routing.ServiceRequest;
import io.livedesk.signaling.routing.WaitingCustomer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.util.Set;

/**
 * One client's WebSocket on this node: who it is once {@code hello} succeeded, its rate limit, and the
 * serial executor its messages are handled on. Writing is thread-safe (Netty queues writes from other
 * threads onto the channel's event loop).
 */
public final class ClientConnection implements WaitingCustomer {
    private final String id;
    private final Channel channel;
    private final SerialExecutor executor;
    private final TokenBucket rateLimit;
    private final MessageCodec codec;
    private volatile Principal principal;
    /** The last queue position told to a waiting customer, so only changes are sent. */
    private volatile int toldPosition;
    private volatile boolean waiting;
    /** The customer's open request while it waits or rings: what this node puts back if the store loses it. */
    private volatile ServiceRequest request;
    /** The status a staff member last chose (or had at sign-in): what this node puts back likewise. */
    private volatile StaffStatus chosenStatus;
    private volatile long activityStoredAtMs = Long.MIN_VALUE;
    /** The node's connections whose request waits, so the routing sweep visits those, not every connection. */
    private final Set<ClientConnection> waitingIndex;

    public ClientConnection(String id, Channel channel, MessageCodec codec, SerialExecutor.Pool pool, TokenBucket rateLimit,
                            Set<ClientConnection> waitingIndex) {
        this.id = id;
        this.channel = channel;
        this.codec = codec;
        this.executor = new SerialExecutor(pool, 256);
        this.rateLimit = rateLimit;
        this.waitingIndex = waitingIndex;
    }

    public String id() {
        return id;
    }

    Channel channel() {
        return channel;
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

    /** Sends a close frame, then closes the socket; the future completes when the socket is closed. */
    public ChannelFuture close(int status, String reason) {
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(status, reason))
                    .addListener(f -> channel.close());
        }
        return channel.closeFuture();
    }

    public void send(ServerMessage message) {
        sendJson(codec.write(message));
    }

    /** This customer's request waits in a queue, and they know it is at this place. */
    public void startWaiting(ServiceRequest request, int toldPosition) {
        this.request = request;
        this.toldPosition = toldPosition;
        this.waiting = true;
        waitingIndex.add(this);
    }

    /** The request this customer's connection holds while it waits or rings (see {@link #startWaiting}). */
    public ServiceRequest heldRequest() {
        return request;
    }

    /**
     * Whether a staff member's activity is to be stored now: at most once per {@code resolutionMs} (each store
     * write is a round trip, and the time is shown to the second at best).
     */
    public boolean activityDue(long nowMs, long resolutionMs) {
        if (activityStoredAtMs != Long.MIN_VALUE && nowMs - activityStoredAtMs < resolutionMs) {
            return false;
        }
        activityStoredAtMs = nowMs;
        return true;
    }

    public StaffStatus chosenStatus() {
        return chosenStatus;
    }

    public void chose(StaffStatus status) {
        this.chosenStatus = status;
    }

    public boolean isWaiting() {
        return waiting;
    }

    @Override
    public Subject customerId() {
        return principal.subject();
    }

    @Override
    public long waitingSinceMs() {
        ServiceRequest held = request;
        return held == null ? Long.MAX_VALUE : held.enqueuedAtMs();
    }

    @Override
    public void tellPlace(ServerMessage.QueueUpdate notice) {
        if (notice.position() != toldPosition) {
            toldPosition = notice.position();
            send(notice);
        }
    }

    @Override
    public void stopWaiting() {
        this.waiting = false;
        this.request = null;
        waitingIndex.remove(this);
    }
}
