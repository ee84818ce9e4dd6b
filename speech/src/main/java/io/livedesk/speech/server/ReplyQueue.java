package io.livedesk.speech.server;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's replies: sent asynchronously (a speech worker never waits on a slow client), in
 * order, and a close only after every reply before it is out. A client that stops reading is cut
 * off once {@code maxPending} replies wait for it, so it cannot make the server buffer without end.
 */
final class ReplyQueue {
    private static final Logger log = LoggerFactory.getLogger(ReplyQueue.class);
    /** RFC 6455 allows 123 bytes of close reason. */
    private static final int MAX_REASON_BYTES = 123;

    private final Session session;
    private final String id;
    private final int maxPending;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicReference<CloseReason> closeAfter = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    ReplyQueue(Session session, String id, int maxPending) {
        this.session = session;
        this.id = id;
        this.maxPending = maxPending;
    }

    /** Queues a text reply; dropped once a close was asked for. */
    void send(String text) {
        if (closeAfter.get() != null || closed.get()) {
            return;
        }
        if (pending.incrementAndGet() > maxPending) {
            log.warn("speech connection {}: client is not reading replies ({} waiting), closing", id, maxPending);
            pending.decrementAndGet();
            closeNow(reason(CloseReason.CloseCodes.VIOLATED_POLICY, "client is not reading replies"));
            return;
        }
        try {
            session.getAsyncRemote().sendText(text, this::sent);
        } catch (RuntimeException e) {
            // The connection went away under us.
            log.info("speech connection {}: send failed: {}", id, e.toString());
            pending.decrementAndGet();
            closeNow(reason(CloseReason.CloseCodes.CLOSED_ABNORMALLY, "send failed"));
        }
    }

    /** Sends {@code last} (if not null) as the final reply, then closes with {@code reason}. */
    void finish(String last, CloseReason reason) {
        if (last != null) {
            send(last);
        }
        if (closeAfter.compareAndSet(null, reason) && pending.get() == 0) {
            closeNow(reason);
        }
    }

    boolean closing() {
        return closeAfter.get() != null || closed.get();
    }

    private void sent(SendResult result) {
        if (!result.isOK()) {
            // Usually the client went away; its close follows.
            log.debug("speech connection {}: reply not sent: {}", id, String.valueOf(result.getException()));
        }
        if (pending.decrementAndGet() == 0) {
            CloseReason reason = closeAfter.get();
            if (reason != null) {
                closeNow(reason);
            }
        }
    }

    private void closeNow(CloseReason reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (session.isOpen()) {
                session.close(reason);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("speech connection {}: close failed: {}", id, e.toString());
        }
    }

    static CloseReason reason(CloseReason.CloseCode code, String text) {
        String phrase = text;
        while (phrase.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            phrase = phrase.substring(0, phrase.length() - 1);
        }
        return new CloseReason(code, phrase);
    }
}
