package io.livedesk.signaling.live;

import io.livedesk.signaling.auth.Subject;

import java.util.Objects;

/**
 * One chat message of a broadcast, as kept for late joiners and fanned out to viewers.
 *
 * @param messageId {@code m-<n>}, numbered by the store within the broadcast
 * @param from      who wrote it (shown to the stage only, for moderation)
 * @param name      the name shown with it
 * @param fromStage whether the host or a co-host wrote it
 * @param atMs      when the server took it
 */
public record ChatMessage(String messageId, Subject from, String name, String text, boolean fromStage, long atMs) {
    public static final int MAX_TEXT = 500;

    public ChatMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(text, "text");
    }

    /** The same message under the id a store gave it. */
    public ChatMessage withMessageId(String id) {
        return new ChatMessage(id, from, name, text, fromStage, atMs);
    }
}
