package io.livedesk.signaling.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Node heartbeats kept in this JVM: useful for one node and for tests of several nodes in one process. */
public final class InMemoryNodeRegistry implements NodeRegistry {

    private final Map<String, Long> lastHeartbeatMs = new HashMap<>();
    /** Memory is lost only with the process, and every node of it: one epoch for the registry's life. */
    private final String epoch = UUID.randomUUID().toString();

    @Override
    public synchronized String heartbeat(String nodeId, long nowMs) {
        lastHeartbeatMs.put(nodeId, nowMs);
        return epoch;
    }

    @Override
    public Optional<String> epoch() {
        return Optional.of(epoch);
    }

    @Override
    public synchronized List<String> liveNodes(long nowMs, long ttlMs) {
        return byHeartbeat().stream().filter(e -> e.getValue() > nowMs - ttlMs).map(Map.Entry::getKey).toList();
    }

    @Override
    public synchronized List<String> claimDead(long nowMs, long ttlMs) {
        List<String> dead = byHeartbeat().stream()
                .filter(e -> e.getValue() <= nowMs - ttlMs).map(Map.Entry::getKey).toList();
        dead.forEach(lastHeartbeatMs::remove);
        return dead;
    }

    @Override
    public synchronized void deregister(String nodeId) {
        lastHeartbeatMs.remove(nodeId);
    }

    /** Oldest heartbeat first, ties by node id, as in Redis. */
    private List<Map.Entry<String, Long>> byHeartbeat() {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(lastHeartbeatMs.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
        return entries;
    }
}
