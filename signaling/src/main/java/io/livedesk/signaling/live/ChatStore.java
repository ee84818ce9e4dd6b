package io.livedesk.signaling.live;

import io.livedesk.signaling.auth.Subject;

import java.util.List;

/**
 * The chat of each broadcast as every node needs it: the latest messages for viewers who join late, the
 * deletions and mutes of the stage. In this JVM for one node, in Redis for several; both implementations
 * pass {@code ChatStoreContract}. Delivery to viewers is not the store's job (the live bus carries it).
 */
public interface ChatStore {

    /** How many of the latest messages a broadcast keeps (and a joining viewer gets). */
    int KEPT = 50;

    /**
     * Numbers and keeps a message: the store assigns {@code messageId} ({@code m-1}, {@code m-2}, … per
     * broadcast, never reused); the oldest kept message beyond {@link #KEPT} is dropped.
     *
     * @param draft the message with any messageId (it is replaced)
     * @return the message as kept
     */
    ChatMessage append(BroadcastId broadcastId, ChatMessage draft);

    /** The kept messages, oldest first, deleted ones left out. */
    List<ChatMessage> recent(BroadcastId broadcastId);

    /** Deletes a kept message; false if it is not (or no longer) kept. */
    boolean delete(BroadcastId broadcastId, String messageId);

    /** Mutes or unmutes a viewer in the broadcast's chat; returns whether that changed anything. */
    boolean mute(BroadcastId broadcastId, Subject viewer, boolean muted);

    boolean isMuted(BroadcastId broadcastId, Subject viewer);

    /** Forgets the broadcast's chat and mutes, once it has ended. */
    void remove(BroadcastId broadcastId);
}
