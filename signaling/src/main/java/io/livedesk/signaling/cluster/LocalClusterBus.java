package io.livedesk.signaling.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster bus within one process: {@link #publish} calls the listener of the addressed node directly,
 * on the caller's thread. A message for a node nobody subscribed is dropped, as on Redis.
 */
public final class LocalClusterBus implements ClusterBus {

    private static final Logger log = LoggerFactory.getLogger(LocalClusterBus.class);

    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();

    @Override
    public void publish(String nodeId, String subject, String json) {
        Listener listener = listeners.get(nodeId);
        if (listener == null) {
            log.debug("dropping message for subject {} on unknown node {}", subject, nodeId);
            return;
        }
        try {
            listener.deliver(subject, json);
        } catch (RuntimeException e) {
            // Same as Redis: a failing listener is the receiver's problem, not the sender's.
            log.warn("listener of node {} failed on a message for subject {}", nodeId, subject, e);
        }
    }

    @Override
    public void publishToAll(String address, String json) {
        for (Map.Entry<String, Listener> e : listeners.entrySet()) {
            try {
                e.getValue().deliver(address, json);
            } catch (RuntimeException ex) {
                log.warn("listener of node {} failed on a message to all nodes", e.getKey(), ex);
            }
        }
    }

    @Override
    public void subscribe(String nodeId, Listener listener) {
        if (listeners.putIfAbsent(nodeId, listener) != null) {
            throw new IllegalStateException("node already subscribed: " + nodeId);
        }
    }

    @Override
    public void close() {
        listeners.clear();
    }
}
