package io.livedesk.signaling.cluster;

import io.livedesk.signaling.auth.Subject;

import java.util.List;
import java.util.Optional;

/**
 * Which node holds each signed-in subject's connection, and who went away when. A subject has at most
 * one connection: binding again replaces the old one. Both implementations pass {@code SessionStoreContract}.
 */
public interface SessionStore {

    /**
     * Binds the subject to a connection on a node (sign-in or reconnect), clearing any disconnect mark.
     * Returns the binding it replaced, if the subject was connected elsewhere.
     */
    Optional<SessionLocation> bind(SessionLocation location, long nowMs);

    /**
     * The connection closed: if the subject is still bound to exactly this connection, the binding is
     * removed and the subject marked disconnected at now. Returns whether it did.
     */
    boolean unbind(SessionLocation location, long nowMs);

    /** Where the subject is connected now, if anywhere. */
    Optional<SessionLocation> locate(Subject subject);

    /**
     * Claims subjects disconnected at or before {@code disconnectedAtOrBeforeMs}, removing their marks so
     * that exactly one caller (on any node) gets each; at most {@code max}.
     */
    List<SessionLocation> claimExpired(long disconnectedAtOrBeforeMs, int max);

    /** Marks every subject bound on the node disconnected at now (the node died); returns them. */
    List<SessionLocation> disconnectNode(String nodeId, long nowMs);

    /** Subjects bound on the node now. */
    List<SessionLocation> boundOn(String nodeId);
}
