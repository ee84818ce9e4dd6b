package io.livedesk.signaling.routing;

import io.livedesk.signaling.presence.StaffPresence;
import io.livedesk.signaling.presence.StaffStatus;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Estimates a customer's wait from their place in the queue, the average handle time and how many staff
 * members serving the topic are signed in. Staff counts are refreshed by the routing sweep, not per call.
 */
public final class WaitEstimator {
    private final long averageHandleSeconds;
    private final Map<String, Integer> staffPerTopic = new ConcurrentHashMap<>();

    public WaitEstimator(Duration averageHandleTime) {
        this.averageHandleSeconds = Math.max(1, averageHandleTime.toSeconds());
    }

    public void refresh(Collection<StaffPresence> staff) {
        Map<String, Integer> counts = new java.util.HashMap<>();
        for (StaffPresence p : staff) {
            if (p.connected() && p.status() != StaffStatus.OFFLINE) {
                for (String skill : p.profile().skills()) {
                    counts.merge(skill, 1, Integer::sum);
                }
            }
        }
        staffPerTopic.keySet().retainAll(counts.keySet());
        staffPerTopic.putAll(counts);
    }

    /** Seconds until someone is likely free for the request at this 1-based position. */
    public long etaSeconds(String topic, int position) {
        int staff = Math.max(1, staffPerTopic.getOrDefault(topic, 0));
        return (long) Math.ceil((double) position * averageHandleSeconds / staff);
    }
}
