package io.livedesk.signaling.call;

import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.routing.RequestId;
/**
 * What calls need of routing: a staff member's capacity back when their call ends, and transfers, each a
 * routing request of its own, offered and accepted like any other, that carries the call it hands over as
 * a typed {@code Transfer}.
 */
public interface CallRouting {
    /** A call of the member ended: their load goes down, and they may take the next request. */
    void callEnded(Subject staffId);

    /** {@link #callEnded} in two steps: the load goes down now, and {@link #staffFreed} offers work later. */
    void releaseLoad(Subject staffId);

    /** The member became free: tell them and offer them work. */
    void staffFreed(Subject staffId);

    /**
     * Queues the call for the topic and language; returns the new request's id. Not offered yet: the
     * caller records the request on the call first, then calls {@link #offerTransfer}.
     */
    RequestId enqueueTransfer(CallRecord call, String topic, String language, String fromStaffName);

    /**
     * Queues the call for one named colleague: it waits in no queue, so no one else's skills match it,
     * and is offered only to them. Not offered yet, as {@link #enqueueTransfer}.
     */
    RequestId enqueueTransferTo(CallRecord call, Subject staffId, String fromStaffName);

    /**
     * Offers a queued transfer request: to an eligible staff member of the queue if one is free now (true
     * either way: it waits), or to the named colleague (false when they cannot take a call now).
     */
    boolean offerTransfer(RequestId requestId);

    /** Takes a transfer request out of routing (the call ended); revokes its offer if it was ringing. */
    void cancelTransfer(RequestId requestId);
}
