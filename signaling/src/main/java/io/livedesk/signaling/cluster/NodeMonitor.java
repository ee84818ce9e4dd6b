package io.livedesk.signaling.cluster;

import io.livedesk.signaling.presence.PresenceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Keeps this node's heartbeat and notices nodes that stopped beating: their staff stop being offered
 * work at once and every session they held starts its grace period, so clients that reconnect to a
 * surviving node resume and the rest are ended by the grace reaper, never silently lost. It also notices
 * the store losing its data (a new epoch, see {@link NodeRegistry#heartbeat}) and has the node put back
 * what its own clients hold.
 */
public final class NodeMonitor {
    private static final Logger log = LoggerFactory.getLogger(NodeMonitor.class);

    private final String nodeId;
    private final NodeRegistry registry;
    private final SessionStore sessions;
    private final PresenceStore presence;
    private final Duration ttl;
    private final Clock clock;
    private final Runnable putBack;
    private final Consumer<String> claimed;
    private long beatingSince = -1;
    /** The store's epoch this node's state is registered in; null before the first heartbeat. */
    private volatile String epoch;

    /**
     * @param putBack re-registers this node's sessions, staff, requests and calls in a store that lost its
     *                data; run on the heartbeat's thread, again on the next heartbeat if it failed
     */
    public NodeMonitor(String nodeId, NodeRegistry registry, SessionStore sessions, PresenceStore presence,
                       Duration ttl, Clock clock, Runnable putBack) {
        this(nodeId, registry, sessions, presence, ttl, clock, putBack, dead -> {
        });
    }

    /**
     * @param claimed told of each dead node this node claimed (and no other did), after its sessions started their
     *                grace period: this node takes over the media of its calls. Run on the heartbeat's thread; it
     *                must not block
     */
    public NodeMonitor(String nodeId, NodeRegistry registry, SessionStore sessions, PresenceStore presence,
                       Duration ttl, Clock clock, Runnable putBack, Consumer<String> claimed) {
        this.claimed = claimed;
        this.nodeId = nodeId;
        this.registry = registry;
        this.sessions = sessions;
        this.presence = presence;
        this.ttl = ttl;
        this.clock = clock;
        this.putBack = putBack;
    }

    /**
     * A previous run of a node with this id may have left sessions bound to it: they start their grace
     * period now, as if that node had died.
     */
    public void takeOver() {
        long now = clock.millis();
        var stale = sessions.disconnectNode(nodeId, now);
        stale.stream().filter(s -> s.role().serves()).forEach(s -> presence.disconnect(s.subject(), now));
        if (!stale.isEmpty()) {
            log.info("{} sessions left from an earlier run of node {} start their grace period", stale.size(), nodeId);
        }
    }

    public void beat() {
        long now = clock.millis();
        String seen;
        try {
            seen = registry.heartbeat(nodeId, now);
        } catch (RuntimeException e) {
            beatingSince = -1;
            throw e;
        }
        if (epoch == null) {
            epoch = seen;
        } else if (!epoch.equals(seen)) {
            log.warn("the shared store lost its data (new epoch): putting back this node's sessions, staff, requests and calls");
            putBack.run(); // if it throws, the epoch stays old and the next heartbeat tries again
            epoch = seen;
        }
        if (beatingSince < 0) {
            beatingSince = now;
        }
        // After an outage of the registry every node's heartbeat looks old. Only a node that has beaten
        // steadily for a whole TTL since then may call others dead: by then the living have beaten again.
        if (now - beatingSince < ttl.toMillis()) {
            return;
        }
        for (String dead : registry.claimDead(now, ttl.toMillis())) {
            if (dead.equals(nodeId)) {
                continue; // we were too slow to beat but are alive; the heartbeat above re-registered us
            }
            var orphans = sessions.disconnectNode(dead, now);
            orphans.stream().filter(s -> s.role().serves()).forEach(s -> presence.disconnect(s.subject(), now));
            log.warn("node {} stopped beating; {} of its sessions start their grace period", dead, orphans.size());
            try {
                claimed.accept(dead);
            } catch (RuntimeException e) {
                log.warn("taking over after node {} failed: {}", dead, e.toString());
            }
        }
    }

    /**
     * Whether the store still holds the data of the epoch this node registered in. Read after a look-up found
     * nothing, it tells "gone" from "lost with the store" (the look-up happened before this read).
     */
    public boolean storeUnchanged() {
        String known = epoch;
        return known != null && registry.epoch().map(known::equals).orElse(false);
    }

    public void leave() {
        registry.deregister(nodeId);
    }
}
