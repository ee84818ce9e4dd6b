package io.livedesk.signaling.live;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.protocol.ServerMessage;
import io.livedesk.signaling.server.ClientConnection;
import io.livedesk.signaling.server.FanOut;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

import java.util.ArrayList;
import java.util.HashMap;
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
    /** What joining viewers are shown of the record (names looked up once per revision, not per join). */
    private ServerMessage.BroadcastView view;
    private long viewRevision = -1;
    private final Map<ClientConnection, LiveMember> members = new LinkedHashMap<>();
    private final List<ChatMessage> pendingChat = new ArrayList<>();
    private final List<String> pendingDeleted = new ArrayList<>();
    private final ChatHistory history = new ChatHistory(ChatStore.KEPT);
    private long uncountedLikes;
    private long uncountedChat;
    /** The count frame computed since the last flush, if the numbers changed. */
    private String pendingStats;
    private long sentViewers = -1;
    private long sentLikes = -1;

    LiveRoom(Broadcast broadcast) {
        this.id = broadcast.id();
        this.broadcast = broadcast;
    }

    synchronized Broadcast broadcast() {
        return broadcast;
    }

    /** The record as viewers see it, made by {@code make} once per revision. */
    synchronized ServerMessage.BroadcastView view(Function<Broadcast, ServerMessage.BroadcastView> make) {
        if (view == null || viewRevision != broadcast.revision()) {
            view = make.apply(broadcast);
            viewRevision = broadcast.revision();
        }
        return view;
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
        history.posted(m);
    }

    synchronized void chatDeleted(String messageId) {
        history.deleted(messageId);
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

    /** The latest chat for a joining viewer, or empty until {@link #loadHistory} ran once. */
    synchronized Optional<List<ChatMessage>> recentChat() {
        return history.recent();
    }

    synchronized List<ChatMessage> loadHistory(List<ChatMessage> fromStore) {
        return history.load(fromStore);
    }

    /** The viewer count and likes last counted for this room, if it was counted yet. */
    synchronized Optional<Counted> lastCounted() {
        return sentViewers < 0 ? Optional.empty() : Optional.of(new Counted(sentViewers, sentLikes));
    }

    record Counted(long viewers, long likes) {
    }

    /** A count frame to go out with the next flush (replacing one not sent yet). */
    synchronized void statsToSend(String frame) {
        pendingStats = frame;
    }

    /** What to send now (chat messages, deletions, a count frame), or null when there is nothing; clears it. */
    synchronized Pending takePending() {
        if (pendingChat.isEmpty() && pendingDeleted.isEmpty() && pendingStats == null) {
            return null;
        }
        Pending out = new Pending(List.copyOf(pendingChat), List.copyOf(pendingDeleted), pendingStats,
                List.copyOf(members.values()));
        pendingChat.clear();
        pendingDeleted.clear();
        pendingStats = null;
        return out;
    }

    record Pending(List<ChatMessage> messages, List<String> deleted, String stats, List<LiveMember> to) {
        boolean hasChat() {
            return !messages.isEmpty() || !deleted.isEmpty();
        }
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
     * Sends each member the messages {@code framesFor} gives for it, flushed together: members asking for the
     * same text share one encoded frame, so a fan-out to thousands encodes once per distinct text.
     */
    static void send(List<LiveMember> to, Function<LiveMember, List<String>> framesFor) {
        Map<String, TextWebSocketFrame> frames = new HashMap<>();
        FanOut out = new FanOut();
        try {
            for (LiveMember m : to) {
                List<String> texts = framesFor.apply(m);
                List<TextWebSocketFrame> encoded = new ArrayList<>(texts.size());
                for (String text : texts) {
                    encoded.add(frames.computeIfAbsent(text, t ->
                            new TextWebSocketFrame(ByteBufUtil.writeUtf8(PooledByteBufAllocator.DEFAULT, t))));
                }
                out.add(m.connection, encoded);
            }
        } finally {
            frames.values().forEach(TextWebSocketFrame::release);
            out.send();
        }
    }
}
