package io.livedesk.signaling.cluster;

/**
 * Node-to-node delivery of server messages for subjects connected elsewhere. In one process it is a
 * direct call; with Redis it is pub/sub on one channel per node. Delivery is best effort: a message
 * for a node that is gone is lost, and the state it carried is recovered from the stores on resume.
 */
public interface ClusterBus extends AutoCloseable {

    /** Sends a JSON server message to a subject connected on {@code nodeId}. */
    void publish(String nodeId, String subject, String json);

    /**
     * Sends a message to every subscribed node, this one included: one publish however many nodes there
     * are. {@code address} is what the listener gets as the subject (a node-task address).
     */
    void publishToAll(String address, String json);

    /** Starts delivering messages addressed to this node, and those to all nodes, to the listener. Called once. */
    void subscribe(String nodeId, Listener listener);

    @Override
    void close();

    @FunctionalInterface
    interface Listener {
        void deliver(String subject, String json);
    }
}
