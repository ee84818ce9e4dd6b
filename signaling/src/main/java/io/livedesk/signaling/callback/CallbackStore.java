package io.livedesk.signaling.callback;

import io.livedesk.signaling.auth.Subject;

import java.util.List;
import java.util.Optional;

/**
 * Callback requests, shared by every node (in memory for one node, Redis when scaled out). Every change is
 * one atomic compare-and-set step, so two staff members cannot both take one request and nobody closes a
 * request they do not hold. Closed requests are kept for a retention the implementation is given, open and
 * taken ones until they are closed.
 */
public interface CallbackStore {
    /** How many open requests {@link #open} returns at most. */
    int OPEN_LIMIT = 500;

    /**
     * Stores a new open request. Empty when the customer already has an open or taken one (one at a time per
     * customer): the existing one is returned as the reason.
     *
     * @return empty if stored; the customer's existing open or taken request otherwise
     */
    Optional<CallbackRequest> create(CallbackRequest request);

    Optional<CallbackRequest> get(CallbackId id);

    /** The open requests, oldest first, at most {@code limit} (capped at {@link #OPEN_LIMIT}). */
    List<CallbackRequest> open(int limit);

    /** The requests a staff member has taken and not closed, oldest taken first. */
    List<CallbackRequest> takenBy(Subject staffId);

    /** The customer's open or taken request, if any. */
    Optional<CallbackRequest> activeOf(Subject customerId);

    /** OPEN -> TAKEN by this staff member. Empty when it is not open (taken by someone else, closed, unknown). */
    Optional<CallbackRequest> take(CallbackId id, Subject staffId, long nowMs);

    /**
     * TAKEN by this staff member -> CLOSED with the outcome; empty when it is not taken by them. With
     * {@code anyone} (a supervisor) also a request someone else took, or an open one, which then records the
     * closer as its staff member.
     */
    Optional<CallbackRequest> close(CallbackId id, Subject closer, boolean anyone, CallbackOutcome outcome,
                                    String note, long nowMs);

    /** How many requests are open (not taken yet), for the wallboard. */
    long countOpen();
}
