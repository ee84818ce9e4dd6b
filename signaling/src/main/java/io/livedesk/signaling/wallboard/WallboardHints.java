package io.livedesk.signaling.wallboard;

import io.livedesk.signaling.cluster.MessageRouter;

/**
 * Tells every node's wallboards that something changed, so that a node with watchers reads the stores now
 * rather than at its next interval. {@link ServiceStats} sends one after each burst of events it wrote. Best
 * effort: a lost hint leaves the periodic read to show the change.
 */
public final class WallboardHints {
    /** The node-task address of hints (no subject can have it). */
    public static final String ADDRESS = "#wallboard";

    private final MessageRouter router;

    public WallboardHints(MessageRouter router) {
        this.router = router;
    }

    /** Something the wallboard shows changed on this node (and its counts are written). */
    public void publish() {
        router.toAllNodes(ADDRESS, "{}");
    }
}
