package io.livedesk.signaling.live;

import io.livedesk.signaling.auth.Subject;

import java.util.Objects;

/**
 * One viewer present in a broadcast.
 *
 * @param viewer      who is watching
 * @param displayName the name to show the host, or null when the viewer gave none
 * @param joinedAtMs  when this stay began (a viewer who left or expired and came back starts a new one)
 * @param lastSeenMs  their last join or heartbeat
 */
public record ViewerPresence(Subject viewer, String displayName, long joinedAtMs, long lastSeenMs) {
    public ViewerPresence {
        Objects.requireNonNull(viewer, "viewer");
    }
}
