package io.livedesk.signaling.live;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.server.ClientConnection;
import io.livedesk.signaling.server.TokenBucket;

/**
 * One connection in a broadcast on this node: a viewer, or a stage member. Its limits live here, with the
 * connection, because a subject has one connection in the whole cluster (signing in again replaces it).
 * Guarded by its {@link LiveRoom}.
 */
final class LiveMember {
    final ClientConnection connection;
    final Subject subject;
    /** The name shown with their chat messages. */
    final String name;
    final boolean stage;
    final long joinedAtMs;
    private final TokenBucket chat;
    private final int likesPerSecond;
    private long likeSecond = -1;
    private int likesThisSecond;
    boolean muted;

    LiveMember(ClientConnection connection, Subject subject, String name, boolean stage, long joinedAtMs,
               boolean muted, TokenBucket chat, int likesPerSecond) {
        this.connection = connection;
        this.subject = subject;
        this.name = name;
        this.stage = stage;
        this.joinedAtMs = joinedAtMs;
        this.muted = muted;
        this.chat = chat;
        this.likesPerSecond = likesPerSecond;
    }

    boolean mayChat(long nowNanos) {
        return chat.tryTake(nowNanos);
    }

    /** Whether a like now counts: at most {@code likesPerSecond} in each wall-clock second. */
    boolean likeCounts(long nowMs) {
        long second = nowMs / 1000;
        if (second != likeSecond) {
            likeSecond = second;
            likesThisSecond = 0;
        }
        return ++likesThisSecond <= likesPerSecond;
    }
}
