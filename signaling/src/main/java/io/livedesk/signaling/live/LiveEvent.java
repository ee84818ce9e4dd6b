package io.livedesk.signaling.live;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.livedesk.signaling.auth.Subject;

/**
 * What one node tells every node about a broadcast, so that the viewers each node holds hear of it at once:
 * published once to all nodes (the node that caused it included), never per viewer.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = LiveEvent.ChatPosted.class, name = "chat"),
        @JsonSubTypes.Type(value = LiveEvent.ChatDeleted.class, name = "chat-deleted"),
        @JsonSubTypes.Type(value = LiveEvent.ViewerMuted.class, name = "muted"),
        @JsonSubTypes.Type(value = LiveEvent.ViewerRemoved.class, name = "removed"),
        @JsonSubTypes.Type(value = LiveEvent.BroadcastChanged.class, name = "changed"),
})
public sealed interface LiveEvent {

    BroadcastId broadcastId();

    record ChatPosted(BroadcastId broadcastId, ChatMessage message) implements LiveEvent {
    }

    record ChatDeleted(BroadcastId broadcastId, String messageId) implements LiveEvent {
    }

    record ViewerMuted(BroadcastId broadcastId, Subject viewer, boolean muted) implements LiveEvent {
    }

    record ViewerRemoved(BroadcastId broadcastId, Subject viewer) implements LiveEvent {
    }

    /** Its state, stage or cards changed: the record as stored after the change. */
    record BroadcastChanged(BroadcastId broadcastId, Broadcast broadcast) implements LiveEvent {
    }
}
