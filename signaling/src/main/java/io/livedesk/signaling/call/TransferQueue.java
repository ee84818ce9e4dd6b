package io.livedesk.signaling.call;

import io.livedesk.signaling.routing.ServiceRequest;

/**
 * Where a call waits for its next staff member during a transfer: a routing request of its own, offered
 * and accepted like any other, that carries the call it belongs to in its context.
 */
public interface TransferQueue {
    /** Context key of a transfer request: the call it hands over. */
    String TRANSFER_OF = "transfer_of";
    /** Context key of a transfer request: the name of the staff member handing it over. */
    String TRANSFER_FROM = "transfer_from";
    /** Context key of a transfer to a named colleague: their id. */
    String TRANSFER_TO = "transfer_to";
    /** Context key of a transfer to a named colleague: the call's topic, shown on the offer. */
    String TRANSFER_TOPIC = "transfer_topic";

    /** The call a request hands over, or null for a customer's own request. */
    static String callOf(ServiceRequest request) {
        return request.context().get(TRANSFER_OF);
    }

    /**
     * Queues the call for the topic and language; returns the new request's id. Not offered yet: the
     * caller records the request on the call first, then calls {@link #offerTransfer}.
     */
    String enqueueTransfer(CallRecord call, String topic, String language, String fromStaffName);

    /**
     * Queues the call for one named colleague: it waits in a queue of its own that no one else's skills
     * match, and is offered only to them. Not offered yet, as {@link #enqueueTransfer}.
     */
    String enqueueTransferTo(CallRecord call, String staffId, String fromStaffName);

    /**
     * Offers a queued transfer request: to an eligible staff member of the queue if one is free now (true
     * either way: it waits), or to the named colleague (false when they cannot take a call now).
     */
    boolean offerTransfer(String requestId);

    /** Takes a transfer request out of routing (the call ended); revokes its offer if it was ringing. */
    void cancelTransfer(String requestId);
}
