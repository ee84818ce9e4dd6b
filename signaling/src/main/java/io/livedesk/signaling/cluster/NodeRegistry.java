package io.livedesk.signaling.cluster;

import java.util.List;
import java.util.Optional;

/** The nodes of the service and their heartbeats. Both implementations pass {@code NodeRegistryContract}. */
public interface NodeRegistry {

    /**
     * Registers the node or refreshes its heartbeat, and returns the store's epoch: an id the store is given
     * when first written to and loses with its data, so a Redis restarted empty answers a new one (the
     * first heartbeat after makes it).
     */
    String heartbeat(String nodeId, long nowMs);

    /** The store's epoch now; empty when the store has lost its data and no heartbeat has made a new one. */
    Optional<String> epoch();

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
