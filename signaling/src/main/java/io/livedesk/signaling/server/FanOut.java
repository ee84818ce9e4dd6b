package io.livedesk.signaling.server;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * Delivers frames shared by many connections with one task per event loop and one flush (one write system call)
 * per connection. Writing to a channel from outside its event loop queues a task and wakes the loop for every
 * write; a livestream's counts and chat go to thousands of viewers a second, and those tasks, wake-ups and
 * separate system calls cost more than the bytes. Each frame's duplicate for a connection is made on that
 * connection's event loop, where it is also freed, so Netty's object pools stay thread-local.
 * Collect the deliveries with {@link #add}, then {@link #send} them once.
 */
public final class FanOut {
    private final Map<EventLoop, LoopBatch> byLoop = new IdentityHashMap<>();

    private record Delivery(Channel channel, List<TextWebSocketFrame> frames) {
    }

    /** What goes out on one event loop, and the shared frames it holds a reference to until then. */
    private static final class LoopBatch {
        final List<Delivery> deliveries = new ArrayList<>();
        final Set<TextWebSocketFrame> held = Collections.newSetFromMap(new IdentityHashMap<>());
    }

    /**
     * Queues frames for one connection, written in this order and flushed together. The frames are shared: they
     * are not consumed (the fan-out holds its own reference), the caller releases them once everything was added.
     */
    public void add(ClientConnection to, List<TextWebSocketFrame> shared) {
        Channel ch = to.channel();
        if (shared.isEmpty() || !ch.isActive()) {
            return;
        }
        LoopBatch batch = byLoop.computeIfAbsent(ch.eventLoop(), l -> new LoopBatch());
        for (TextWebSocketFrame f : shared) {
            if (batch.held.add(f)) {
                f.retain();
            }
        }
        batch.deliveries.add(new Delivery(ch, shared));
    }

    /** Hands every queued delivery to its event loop, one task per loop; the fan-out is empty afterwards. */
    public void send() {
        byLoop.forEach((loop, batch) -> {
            try {
                loop.execute(() -> write(batch));
            } catch (RejectedExecutionException shuttingDown) {
                batch.held.forEach(TextWebSocketFrame::release);
            }
        });
        byLoop.clear();
    }

    private static void write(LoopBatch batch) {
        try {
            for (Delivery d : batch.deliveries) {
                if (!d.channel.isActive()) {
                    continue;
                }
                for (TextWebSocketFrame f : d.frames) {
                    d.channel.write(f.retainedDuplicate(), d.channel.voidPromise());
                }
                d.channel.flush();
            }
        } finally {
            batch.held.forEach(TextWebSocketFrame::release);
        }
    }
}
