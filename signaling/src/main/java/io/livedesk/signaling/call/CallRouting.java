package io.livedesk.signaling.call;

import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.protocol.ClientMessage;
import io.livedesk.signaling.routing.Accepted;
import io.livedesk.signaling.routing.RequestId;
import io.livedesk.signaling.routing.RoutingSteps;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.LongFunction;

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

    /** Makes the offer the staff member's; throws offer_expired when it no longer is (see RoutingStore#accept). */
    Accepted accept(Principal staff, ClientMessage.OfferAccept m);

    /**
     * The staff member accepts and the call starts in one store step: see {@link RoutingSteps#accept}. The
     * stage may complete on the store's I/O thread.
     */
    CompletionStage<RoutingSteps.AcceptOutcome> acceptCall(RequestId requestId, Subject staffId, CallRecord expected,
                                          LongFunction<CallRecord> answered);

    /**
     * Replaces a live call's record with its ended one and, in the same store step, frees its staff member
     * and offers them their next request (unless a transfer of the call is under way: the caller calls it
     * off first). Empty when the record changed first. Tell the outcome with {@link #announce}. The stage may
     * complete on the store's I/O thread.
     */
    CompletionStage<Optional<RoutingSteps.Freed>> endCall(CallRecord live, CallRecord ended);

    /** Tells a member freed by {@link #endCall} their presence and their next offer (or looks for one). */
    void announce(RoutingSteps.Freed freed);

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
