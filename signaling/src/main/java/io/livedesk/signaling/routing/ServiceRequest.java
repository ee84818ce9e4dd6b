package io.livedesk.signaling.routing;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.live.BroadcastOrigin;

import java.util.Map;

/**
 * A request to talk to someone: the task that routing assigns to a staff member. Routing decisions read
 * only the typed fields, which the server sets; {@code context} is the customer's own words.
 *
 * <p>A customer's own request and the call it becomes share one id: the call record is created with the
 * request and follows it. A transfer request has no call record of its own; its call is
 * {@code transfer().callId()}, which stays live and unchanged until someone accepts.
 *
 * @param topic       the topic it is about: the queue it waits in (equal to the skill a staff member needs),
 *                    except for a transfer to a named colleague, which waits in no queue
 * @param priority    0 (normal) to 9; each level counts as {@code routing.escalation-step} of extra waiting
 * @param context     free key/value context from the client, shown to the staff member and stored; never
 *                    read to make a decision
 * @param rank        the queue order: lower goes first; see {@link QueueOrder}
 * @param transfer    set by the server when the request hands over a live call; null for a customer's own
 * @param origin      set by the server when a viewer asked from a livestream ("consult now"); else null
 */
public record ServiceRequest(RequestId id, Subject customerId, String customerName, String topic, String language,
                             int priority, Map<String, String> context, long enqueuedAtMs, double rank,
                             Transfer transfer, BroadcastOrigin origin) {
    public ServiceRequest {
        context = Map.copyOf(context);
        if (transfer != null && origin != null) {
            throw new IllegalArgumentException("a transfer has no livestream origin of its own");
        }
    }

    /** A customer's own request (not a transfer). */
    public ServiceRequest(RequestId id, Subject customerId, String customerName, String topic, String language,
                          int priority, Map<String, String> context, long enqueuedAtMs, double rank) {
        this(id, customerId, customerName, topic, language, priority, context, enqueuedAtMs, rank, null, null);
    }

    /** A request handing over a live call. */
    public ServiceRequest(RequestId id, Subject customerId, String customerName, String topic, String language,
                          int priority, Map<String, String> context, long enqueuedAtMs, double rank,
                          Transfer transfer) {
        this(id, customerId, customerName, topic, language, priority, context, enqueuedAtMs, rank, transfer, null);
    }

    /** The call it is about: the one a customer's own request becomes, or the live call a transfer hands over. */
    public CallId callId() {
        return transfer != null ? transfer.callId() : CallId.of(id);
    }

    public boolean isTransfer() {
        return transfer != null;
    }

    /** Whether it waits in its topic's queue, where anyone with the skill may be offered it. */
    public boolean queued() {
        return transfer == null || !transfer.toNamedColleague();
    }
}
