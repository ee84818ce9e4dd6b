package io.livedesk.signaling.wallboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.livedesk.signaling.cluster.MessageRouter;
import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.protocol.ServerMessage;
import io.livedesk.signaling.server.ClientConnection;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The wallboards open on this node: each supervisor who subscribed gets the snapshot at once and then every
 * changed snapshot, at most one per {@code wallboard.interval}. The stores are read on the node's tick (every
 * interval, for changes nobody hinted, such as a staff member going away) and when a {@link WallboardHints}
 * hint says something changed somewhere: at once if the last snapshot sent is an interval old, else when it
 * will be. So a change usually shows within tens of milliseconds, and never more often than once an interval.
 * One read serves every watcher here, and a node without watchers reads nothing. Snapshots carry epoch times
 * rather than durations, so an unchanged one is not sent again.
 */
public final class Wallboard {
    private final WallboardReader reader;
    private final MessageCodec codec;
    private final Clock clock;
    private final Set<ClientConnection> watchers = ConcurrentHashMap.newKeySet();
    /** The last snapshot read while someone watched, and its JSON to compare the next one with. */
    private volatile WallboardView last;
    private volatile String lastJson;

    private final ScheduledExecutorService timer;
    private final long intervalNanos;
    private final AtomicBoolean readSoon = new AtomicBoolean();
    private volatile long lastSentNanos;
    private volatile long lastReadNanos;

    /**
     * @param timer    where hinted reads run (the node's timers, as the periodic one)
     * @param interval the least time between two reads
     */
    public Wallboard(WallboardReader reader, MessageCodec codec, Clock clock, ScheduledExecutorService timer,
                     Duration interval) {
        this.reader = reader;
        this.codec = codec;
        this.clock = clock;
        this.timer = timer;
        this.intervalNanos = interval.toNanos();
        this.lastSentNanos = System.nanoTime() - intervalNanos;
        this.lastReadNanos = lastSentNanos;
    }

    /** Takes the hints of every node (before the router starts). */
    public void listen(MessageRouter router) {
        router.onNodeTasks(WallboardHints.ADDRESS, text -> hinted());
    }

    /** Something changed somewhere. */
    void hinted() {
        readSoon();
    }

    /** The node's periodic call: shows what changed without a hint, unless a hinted read just did. */
    public void tick() {
        if (System.nanoTime() - lastReadNanos >= intervalNanos) {
            readSoon();
        }
    }

    /** Reads (once, however often asked meanwhile) as soon as the last snapshot sent is an interval old. */
    private void readSoon() {
        if (watchers.isEmpty() || !readSoon.compareAndSet(false, true)) {
            return;
        }
        long waitNanos = Math.max(0, lastSentNanos + intervalNanos - System.nanoTime());
        try {
            timer.schedule(() -> {
                readSoon.set(false);
                refresh();
            }, waitNanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            readSoon.set(false); // shutting down
        }
    }

    /** Opens the wallboard for this connection: the reply is the latest snapshot (read now if there is none). */
    public ServerMessage.Wallboard subscribe(ClientConnection c, String replyId) {
        WallboardView view = last;
        if (view == null) {
            view = reader.read(clock.millis());
        }
        watchers.add(c);
        return new ServerMessage.Wallboard(replyId, clock.millis(), view);
    }

    public void unsubscribe(ClientConnection c) {
        watchers.remove(c);
    }

    /** The connection closed. */
    public void closed(ClientConnection c) {
        watchers.remove(c);
    }

    public int watchers() {
        return watchers.size();
    }

    /** Reads a snapshot when anyone here watches, and sends it to them all if it changed. */
    synchronized void refresh() {
        if (watchers.isEmpty()) {
            last = null;
            lastJson = null;
            return;
        }
        lastReadNanos = System.nanoTime();
        WallboardView view = reader.read(clock.millis());
        String json;
        try {
            json = codec.mapper().writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        if (json.equals(lastJson)) {
            return;
        }
        last = view;
        lastJson = json;
        lastSentNanos = System.nanoTime();
        String message = codec.write(new ServerMessage.Wallboard(null, clock.millis(), view));
        for (ClientConnection c : watchers) {
            if (c.open()) {
                c.sendJson(message);
            } else {
                watchers.remove(c);
            }
        }
    }
}
