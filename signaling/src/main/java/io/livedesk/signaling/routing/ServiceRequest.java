package io.livedesk.signaling.routing;

import java.util.Map;

/**
 * A customer's request to talk to someone: the task that routing assigns to a staff member.
 *
 * @param topic       the queue, equal to the skill a staff member needs
 * @param priority    0 (normal) to 9; each level counts as {@code routing.escalation-step} of extra waiting
 * @param context     free key/value context shown to the staff member (page, account tier, broadcast…)
 * @param rank        the queue order: lower goes first; see {@link QueueOrder}
 */
public record ServiceRequest(String id, String customerId, String customerName, String topic, String language,
                             int priority, Map<String, String> context, long enqueuedAtMs, double rank) {
    public ServiceRequest {
        context = Map.copyOf(context);
    }
}
