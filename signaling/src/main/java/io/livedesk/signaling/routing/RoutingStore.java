package io.livedesk.signaling.routing;

import io.livedesk.signaling.auth.Subject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Queues, offers and staff load, changed atomically: one request is never offered to two staff
 * members at once, and a member's load (offers ringing plus calls in progress) never exceeds their
 * capacity, however many nodes call this concurrently. In Redis every mutating method is one Lua script.
 * Both implementations pass {@code RoutingStoreContract}.
 *
 * <p>Eligibility of staff S for request R: S is {@link io.livedesk.signaling.presence.StaffPresence#routable
 * routable} for R's topic and language, and S is not excluded from R (S declined R or let it ring out less
 * than {@code reofferDelayMs} ago).
 */
public interface RoutingStore {

    /**
     * Puts a new request in its queue (topic, language) as WAITING and returns its 1-based place there (0 for
     * a transfer to a named colleague, which waits in no queue): as {@link #position} would, in the same
     * step. Throws IllegalStateException if the customer already has an open request or the id is taken.
     */
    int enqueue(ServiceRequest request);

    Optional<ServiceRequest> request(RequestId requestId);

    Optional<RequestState> state(RequestId requestId);

    /** The customer's open (waiting or offered) request, if any. */
    Optional<RequestId> openRequestOf(Subject customerId);

    /**
     * Offers a WAITING request to the best eligible staff member: the least loaded, then the one idle
     * longest (smallest idleSince), ties by id; so offers spread over members with room rather than fill
     * the longest-idle one first. On success the request leaves its queue, becomes OFFERED until
     * now + ringMs, and the member's load goes up by one. Empty when the request is not WAITING or no
     * one is eligible.
     */
    Optional<Offer> matchRequest(RequestId requestId, long nowMs, long ringMs);

    /**
     * Offers a staff member the first WAITING request, across the queues of every (skill, language) they
     * have, that they are eligible for: lowest rank first, ties by enqueue time then id. Same effects
     * as {@link #matchRequest}. Empty when the member is not routable or nothing fits.
     */
    Optional<Offer> matchStaff(Subject staffId, long nowMs, long ringMs);

    /**
     * Offers a WAITING request to this one member, whatever its topic and language (a transfer to a named
     * colleague), if they are connected, AVAILABLE, below capacity and not excluded from it. Same effects as
     * {@link #matchRequest}. Empty when the request is not WAITING or the member cannot take it now.
     */
    Optional<Offer> offerTo(RequestId requestId, Subject staffId, long nowMs, long ringMs);

    /** The offer the request is ringing with, if it is OFFERED. */
    Optional<Offer> offerOf(RequestId requestId);

    /**
     * The offers ringing at a member now (not yet expired), oldest first: what a member who reconnects
     * within the grace period is shown again.
     */
    List<Offer> ringingOffersTo(Subject staffId, long nowMs);

    /**
     * The staff member accepts: succeeds only if the request is OFFERED to exactly this member and the
     * offer has not expired. The request leaves the routing store (openRequestOf becomes empty) and the
     * member's load stays (the offer became a call). Returns the request and the offer on success.
     */
    Optional<Accepted> accept(RequestId requestId, Subject staffId, long nowMs);

    /**
     * The offer ends without acceptance (declined or rang out): only if the request is OFFERED to this
     * member. The request goes back to WAITING at its old place, the member's load goes down by one,
     * and the member is excluded from this request until now + reofferDelayMs. With {@code memberAway} the
     * member is set AWAY in the same step (an offer that rang out): freed and away at once, so no request
     * arriving in between can be offered to someone who is not there. Returns whether it did.
     */
    boolean release(RequestId requestId, Subject staffId, ReleaseReason reason, long nowMs, long reofferDelayMs,
                    boolean memberAway);

    /**
     * Takes the request out of routing (customer cancelled, hung up or went away). If it was OFFERED,
     * the member's load goes down by one and the offer is returned so that it can be revoked.
     */
    Optional<Cancelled> cancel(RequestId requestId, long nowMs);

    /**
     * A call of this member ended: load goes down by one (never below zero); if it reaches zero while
     * AVAILABLE a new idle period starts at now.
     */
    void callEnded(Subject staffId, long nowMs);

    /**
     * Sets a member's load after the store lost its data and their node put them back: their live calls
     * ({@code liveCalls}, which the call store knows) plus the offers this store holds as ringing at them (none
     * right after the loss; some if the member is put back again later). Keeps status and idle period.
     * Returns whether the member is known.
     */
    boolean restoreLoad(Subject staffId, int liveCalls);

    /** Offers whose ring time passed, oldest first, at most {@code max}; nothing is changed. */
    List<Offer> expiredOffers(long nowMs, int max);

    /**
     * 1-based place of a WAITING request in its (topic, language) queue; empty if it is not WAITING.
     */
    Optional<Integer> position(RequestId requestId);

    /**
     * Where a customer's own open request stands.
     *
     * @param position its 1-based place in its queue while WAITING; empty while it rings
     */
    record Standing(RequestId requestId, String topic, Optional<Integer> position) {
    }

    /**
     * Where each customer's open request stands, for many customers in one store step (the sweep asks for
     * every waiting customer of a node at once): a customer appears only while they have an open request of
     * their own (a transfer of their call does not count). Nothing is changed.
     */
    default Map<Subject, Standing> standings(Collection<Subject> customers) {
        Map<Subject, Standing> out = new HashMap<>();
        for (Subject customer : customers) {
            openRequestOf(customer).flatMap(this::request).filter(r -> !r.isTransfer())
                    .ifPresent(r -> out.put(customer, new Standing(r.id(), r.topic(), position(r.id()))));
        }
        return out;
    }

    /**
     * {@link #matchStaff} for each member given, in one store step where the store can (the sweep offers work
     * to every free member of a node at once). Returns the offers made, in the members' order.
     */
    default List<Offer> matchEachStaff(Collection<Subject> staffIds, long nowMs, long ringMs) {
        List<Offer> out = new ArrayList<>();
        for (Subject staffId : staffIds) {
            matchStaff(staffId, nowMs, ringMs).ifPresent(out::add);
        }
        return out;
    }

    /** Queue statistics per topic for the topics given. */
    /**
     * Per queue (topic and language) of these topics, in topic order then by language, the queues with any
     * request waiting or ringing. Reads every request of the topics: for a snapshot now and then, not per request.
     */
    List<QueueLoad> loads(List<String> topics);

    List<QueueStats> stats(List<String> topics);
}
