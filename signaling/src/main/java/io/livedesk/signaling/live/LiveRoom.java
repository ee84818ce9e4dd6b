package io.livedesk.signaling.live;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.server.ClientConnection;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A broadcast as seen by one node: the connections watching it here, its record as last heard, and what is
 * waiting to go out to them (chat since the last flush, likes and chat messages not yet counted). Thread-safe:
 * requests, the cluster bus and the timers all reach it.
 */
final class LiveRoom {
    final BroadcastId id;
    private Broadcast broadcast;
    private final Map<ClientConnection, LiveMember> members = new LinkedHashMap<>();
    private final List<ChatMessage> pendingChat = new ArrayList<>();
    private final List<String> pendingDeleted = new ArrayList<>();
    private long uncountedLikes;
    private long uncountedChat;
    private long sentViewers = -1;
    private long sentLikes = -1;

    LiveRoom(Broadcast broadcast) {
        this.id = broadcast.id();
        this.broadcast = broadcast;
    }

    synchronized Broadcast broadcast() {
        return broadcast;
    }

    /** Keeps the newer record: events from several nodes may cross. Returns the one it replaced, if it did. */
    synchronized Optional<Broadcast> update(Broadcast next) {
        if (next.revision() <= broadcast.revision()) {
            return Optional.empty();
        }
        Broadcast before = broadcast;
        broadcast = next;
        return Optional.of(before);
    }

    synchronized void add(LiveMember m) {
        members.put(m.connection, m);
    }

    synchronized Optional<LiveMember> remove(ClientConnection c) {
        return Optional.ofNullable(members.remove(c));
    }

    synchronized Optional<LiveMember> member(ClientConnection c) {
        return Optional.ofNullable(members.get(c));
    }

    synchronized Optional<LiveMember> memberBySubject(Subject subject) {
        return members.values().stream().filter(m -> m.subject.equals(subject)).findFirst();
    }

    synchronized boolean isEmpty() {
        return members.isEmpty();
    }

    synchronized List<LiveMember> members() {
        return List.copyOf(members.values());
    }

    /** The viewers here (not the stage), for the presence heartbeat. */
    synchronized List<Subject> viewers() {
        return members.values().stream().filter(m -> !m.stage).map(m -> m.subject).toList();
    }

    synchronized void chatPosted(ChatMessage m) {
        pendingChat.add(m);
    }

    synchronized void chatDeleted(String messageId) {
        // A message deleted before it went out never goes out.
        if (!pendingChat.removeIf(m -> m.messageId().equals(messageId))) {
            pendingDeleted.add(messageId);
        }
    }

    synchronized void liked() {
        uncountedLikes++;
    }

    synchronized void chatCounted() {
        uncountedChat++;
    }

    /** The likes and chat messages taken here since the last call, to add to the record. */
    synchronized long[] takeUncounted() {
        long[] out = {uncountedLikes, uncountedChat};
        uncountedLikes = 0;
        uncountedChat = 0;
        return out;
    }

    /** The chat to send now (messages, deletions), or null when there is none; clears it. */
    synchronized ChatFlush takeChat() {
        if (pendingChat.isEmpty() && pendingDeleted.isEmpty()) {
            return null;
        }
        ChatFlush out = new ChatFlush(List.copyOf(pendingChat), List.copyOf(pendingDeleted), List.copyOf(members.values()));
        pendingChat.clear();
        pendingDeleted.clear();
        return out;
    }

    record ChatFlush(List<ChatMessage> messages, List<String> deleted, List<LiveMember> to) {
    }

    /** Whether these numbers differ from the last sent (and remembers them if so). */
    synchronized boolean statsChanged(long viewers, long likes) {
        if (viewers == sentViewers && likes == sentLikes) {
            return false;
        }
        sentViewers = viewers;
        sentLikes = likes;
        return true;
    }

    /**
     * Sends each member the message {@code frameFor} gives for it: members asking for the same text share
     * one encoded frame, so a fan-out to thousands encodes once per distinct text.
     */
    static void send(List<LiveMember> to, Function<LiveMember, String> frameFor) {
        Map<String, TextWebSocketFrame> frames = new LinkedHashMap<>();
        try {
            for (LiveMember m : to) {
                TextWebSocketFrame frame = frames.computeIfAbsent(frameFor.apply(m), text ->
                        new TextWebSocketFrame(ByteBufUtil.writeUtf8(PooledByteBufAllocator.DEFAULT, text)));
                m.connection.sendShared(frame);
            }
        } finally {
            frames.values().forEach(TextWebSocketFrame::release);
        }
    }
}
