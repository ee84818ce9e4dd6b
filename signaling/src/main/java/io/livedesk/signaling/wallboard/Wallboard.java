package io.livedesk.signaling.wallboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.livedesk.signaling.protocol.MessageCodec;
import io.livedesk.signaling.protocol.ServerMessage;
import io.livedesk.signaling.server.ClientConnection;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The wallboards open on this node: each supervisor who subscribed gets the snapshot at once and then every
 * changed snapshot, read from the stores at most once per {@link #refresh} (the node calls it every
 * {@code wallboard.interval}). One read serves every watcher here, and a node without watchers reads nothing.
 * Snapshots carry epoch times rather than durations, so an unchanged one is not sent again.
 */
public final class Wallboard {
    private final WallboardReader reader;
    private final MessageCodec codec;
    private final Clock clock;
    private final Set<ClientConnection> watchers = ConcurrentHashMap.newKeySet();
    /** The last snapshot read while someone watched, and its JSON to compare the next one with. */
    private volatile WallboardView last;
    private volatile String lastJson;

    public Wallboard(WallboardReader reader, MessageCodec codec, Clock clock) {
        this.reader = reader;
        this.codec = codec;
        this.clock = clock;
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
    public void refresh() {
        if (watchers.isEmpty()) {
            last = null;
            lastJson = null;
            return;
        }
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
