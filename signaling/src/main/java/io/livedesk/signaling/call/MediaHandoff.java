package io.livedesk.signaling.call;

/**
 * Carries {@link MediaTask}s to the node that holds a call's media state. Best effort, like the rest of
 * node-to-node delivery: a task for a node that is gone is lost (its bridge and the call's media state
 * went with it).
 */
@FunctionalInterface
public interface MediaHandoff {
    void forward(String nodeId, MediaTask task);
}
