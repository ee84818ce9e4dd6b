package io.livedesk.signaling.live;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One node's copy of a broadcast's latest chat, for the history a joining viewer gets: the node hears every
 * message and deletion on the cluster bus anyway, so joins read the store only for the first member here.
 * Built from what the bus delivers plus one store read ({@link #load}); messages are ordered by the store's
 * number ({@code m-<n>}), so the two merge whichever came first. Not thread-safe: its room guards it.
 */
final class ChatHistory {
    private final int kept;
    private final TreeMap<Long, ChatMessage> byNumber = new TreeMap<>();
    /** Deleted while the store read may have been under way: that read must not bring them back. */
    private final Set<String> deleted = new HashSet<>();
    private boolean loaded;

    ChatHistory(int kept) {
        this.kept = kept;
    }

    void posted(ChatMessage m) {
        long n = number(m.messageId());
        if (n < 0 || deleted.contains(m.messageId())) {
            return;
        }
        byNumber.put(n, m);
        while (byNumber.size() > kept) {
            byNumber.pollFirstEntry();
        }
    }

    void deleted(String messageId) {
        long n = number(messageId);
        if (n >= 0) {
            byNumber.remove(n);
        }
        if (!loaded) {
            deleted.add(messageId);
        }
    }

    /** The history, oldest first, once the store's part was loaded; empty before. */
    Optional<List<ChatMessage>> recent() {
        return loaded ? Optional.of(List.copyOf(byNumber.values())) : Optional.empty();
    }

    /** Merges the store's latest messages in (the first join here) and returns the history. */
    List<ChatMessage> load(List<ChatMessage> fromStore) {
        if (!loaded) {
            fromStore.forEach(this::posted);
            loaded = true;
            deleted.clear();
        }
        return new ArrayList<>(byNumber.values());
    }

    /** The number in {@code m-<n>}, or -1 for an id the store did not give. */
    static long number(String messageId) {
        if (messageId == null || !messageId.startsWith("m-")) {
            return -1;
        }
        try {
            return Long.parseLong(messageId, 2, messageId.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
