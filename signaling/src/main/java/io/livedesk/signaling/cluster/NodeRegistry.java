package io.livedesk.signaling.cluster;

import java.util.List;

/** The nodes of the service and their heartbeats. Both implementations pass {@code NodeRegistryContract}. */
public interface NodeRegistry {

    /** Registers the node or refreshes its heartbeat. */
    void heartbeat(String nodeId, long nowMs);

    /** Nodes whose last heartbeat is newer than {@code nowMs - ttlMs}. */
    List<String> liveNodes(long nowMs, long ttlMs);

    /**
     * Removes and returns nodes whose last heartbeat is at or before {@code nowMs - ttlMs}; each dead
     * node is returned to exactly one caller, so exactly one survivor cleans up after it.
     */
    List<String> claimDead(long nowMs, long ttlMs);

    /** The node leaves on purpose (graceful shutdown). */
    void deregister(String nodeId);
}
