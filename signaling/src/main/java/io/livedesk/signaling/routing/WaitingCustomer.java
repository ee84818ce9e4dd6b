package io.livedesk.signaling.routing;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.protocol.ServerMessage;

/**
 * A customer connected to this node whose request waits in a queue: whom the routing sweep tells of their
 * place. Only these cost the sweep a store look-up, not every idle connection.
 */
public interface WaitingCustomer {
    Subject customerId();

    /** When the request they wait with was queued (its enqueue time), for the maximum wait. */
    long waitingSinceMs();

    /** Tells them their place unless it is the one they were told last. */
    void tellPlace(ServerMessage.QueueUpdate notice);

    /** Their request left the queue for good: accepted, cancelled or ended, on whichever node. */
    void stopWaiting();
}
