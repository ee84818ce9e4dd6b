package io.livedesk.signaling.live;

import io.livedesk.signaling.auth.Subject;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Chat kept in this JVM (one node), every operation under one lock: a broadcast keeps at most
 * {@link ChatStore#KEPT} messages, so none of them holds it for long. A deleted message is dropped from the
 * kept ones at once, as in Redis: it frees its place, and a late joiner still gets the latest
 * {@link ChatStore#KEPT} of those left.
 */
public final class InMemoryChatStore implements ChatStore {

    /** One broadcast's chat; guarded by the store's lock. */
    private static final class Chat {
        /** By id, in the order they came, which is also their numbers' order. */
        final Map<String, ChatMessage> kept = new LinkedHashMap<>();
        final Set<Subject> muted = new HashSet<>();
        long lastNumber;
    }

    private final Object lock = new Object();
    private final Map<BroadcastId, Chat> chats = new HashMap<>();

    @Override
    public ChatMessage append(BroadcastId broadcastId, ChatMessage draft) {
        Objects.requireNonNull(draft, "draft");
        synchronized (lock) {
            Chat chat = chats.computeIfAbsent(Objects.requireNonNull(broadcastId, "broadcastId"), id -> new Chat());
            ChatMessage message = draft.withMessageId("m-" + ++chat.lastNumber);
            chat.kept.put(message.messageId(), message);
            if (chat.kept.size() > KEPT) {
                Iterator<ChatMessage> oldest = chat.kept.values().iterator();
                oldest.next();
                oldest.remove();
            }
            return message;
        }
    }

    @Override
    public List<ChatMessage> recent(BroadcastId broadcastId) {
        synchronized (lock) {
            Chat chat = existing(broadcastId);
            return chat == null ? List.of() : List.copyOf(chat.kept.values());
        }
    }

    @Override
    public boolean delete(BroadcastId broadcastId, String messageId) {
        Objects.requireNonNull(messageId, "messageId");
        synchronized (lock) {
            Chat chat = existing(broadcastId);
            return chat != null && chat.kept.remove(messageId) != null;
        }
    }

    @Override
    public boolean mute(BroadcastId broadcastId, Subject viewer, boolean muted) {
        Objects.requireNonNull(viewer, "viewer");
        synchronized (lock) {
            if (muted) {
                return chats.computeIfAbsent(Objects.requireNonNull(broadcastId, "broadcastId"), id -> new Chat())
                        .muted.add(viewer);
            }
            Chat chat = existing(broadcastId);
            return chat != null && chat.muted.remove(viewer);
        }
    }

    @Override
    public boolean isMuted(BroadcastId broadcastId, Subject viewer) {
        Objects.requireNonNull(viewer, "viewer");
        synchronized (lock) {
            Chat chat = existing(broadcastId);
            return chat != null && chat.muted.contains(viewer);
        }
    }

    @Override
    public void remove(BroadcastId broadcastId) {
        synchronized (lock) {
            chats.remove(Objects.requireNonNull(broadcastId, "broadcastId"));
        }
    }

    /** The broadcast's chat, or null if nothing was ever written to it; call holding the lock. */
    private Chat existing(BroadcastId broadcastId) {
        return chats.get(Objects.requireNonNull(broadcastId, "broadcastId"));
    }
}
